//! Field aliases: letting a filter written against one schema read events of another.
//!
//! A rule may name `process.user` while a Sysmon event carries `User` and a Windows Security
//! event `SubjectUserName`. A [`FieldAliases`] table lists, for each field a filter may name, the
//! other fields to try in order, each with an optional [`Transform`]. An [`AliasedEvent`] wraps
//! an event and resolves a field as follows: the field itself if the event has it, otherwise the
//! first alias the event has. Only one spelling is read, so a present but unrelated alias later
//! in the list cannot add values.
//!
//! Built-in profiles cover ECS, Sysmon, Windows Security 4688, the Sentinel tables `DnsEvents`
//! and `DeviceProcessEvents`, and Zeek `dns.log`; [`FieldAliases::builtin`] merges them all.
//! Within a profile, every untransformed name of one concept aliases every other, so a filter
//! written with `CommandLine` also reads an ECS `process.command_line`.

use std::collections::HashMap;
use std::ops::ControlFlow;

use crate::event::Event;

use Transform::{Basename, Identity};

/// A change applied to the values of an alias before matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Transform {
    /// Values are used as they are.
    #[default]
    Identity,
    /// The last component of a Windows or POSIX path: the text after the last `\` or `/`
    /// (`C:\Windows\System32\services.exe` becomes `services.exe`).
    Basename,
}

impl Transform {
    /// Applies the transform to one value.
    ///
    /// ```
    /// use iocmatch::event::Transform;
    ///
    /// assert_eq!(Transform::Basename.apply(r"C:\Windows\explorer.exe"), "explorer.exe");
    /// assert_eq!(Transform::Basename.apply("/usr/bin/python3"), "python3");
    /// assert_eq!(Transform::Identity.apply("/usr/bin/python3"), "/usr/bin/python3");
    /// ```
    pub fn apply(self, value: &str) -> &str {
        match self {
            Transform::Identity => value,
            Transform::Basename => value.rsplit(['\\', '/']).next().unwrap_or(value),
        }
    }
}

/// One alternative spelling of a field, with the transform its values need.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Alias {
    field: String,
    transform: Transform,
}

impl Alias {
    /// Creates an alias whose values are used as they are.
    pub fn new(field: &str) -> Alias {
        Alias {
            field: field.to_owned(),
            transform: Transform::Identity,
        }
    }

    /// Creates an alias whose values are paths reduced to their last component.
    pub fn basename(field: &str) -> Alias {
        Alias {
            field: field.to_owned(),
            transform: Transform::Basename,
        }
    }

    /// Returns the field the alias reads.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// Returns the transform applied to the alias's values.
    pub fn transform(&self) -> Transform {
        self.transform
    }
}

impl From<&str> for Alias {
    fn from(field: &str) -> Alias {
        Alias::new(field)
    }
}

/// A table from field names to the aliases tried, in order, when an event lacks the field.
///
/// ```
/// use iocmatch::event::{Alias, AliasedEvent, Event, FieldAliases};
/// use serde_json::json;
///
/// let aliases = FieldAliases::sysmon().alias("team", Alias::new("Department"));
/// let event = json!({
///     "User": r"CORP\alice",
///     "ParentImage": r"C:\Tools\backup_service.exe",
///     "Department": "finance",
/// });
/// let event = AliasedEvent::new(&event, &aliases);
/// assert_eq!(event.collect_values("process.user"), [r"CORP\alice"]);
/// assert_eq!(event.collect_values("process.parent_process_name"), ["backup_service.exe"]);
/// assert_eq!(event.collect_values("team"), ["finance"]);
/// assert!(!event.has_field("process.command_line"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldAliases {
    table: HashMap<String, Vec<Alias>>,
}

impl FieldAliases {
    /// Creates an empty table, which resolves every field to itself only.
    pub fn new() -> FieldAliases {
        FieldAliases::default()
    }

    /// Appends `alias` to the aliases of `field`, unless it is already there. Returns the table
    /// for chaining.
    pub fn alias(mut self, field: &str, alias: impl Into<Alias>) -> FieldAliases {
        self.insert(field, alias);
        self
    }

    /// Appends `alias` to the aliases of `field`, unless it is already there or names `field`
    /// itself without a transform.
    pub fn insert(&mut self, field: &str, alias: impl Into<Alias>) {
        let alias = alias.into();
        if alias.field == field && alias.transform == Transform::Identity {
            return;
        }
        let aliases = self.table.entry(field.to_owned()).or_default();
        if !aliases.contains(&alias) {
            aliases.push(alias);
        }
    }

    /// Makes every name in `names` an alias of every other, in the order given.
    ///
    /// ```
    /// use iocmatch::event::FieldAliases;
    ///
    /// let aliases = FieldAliases::new().equivalent(&["src", "source.ip", "id.orig_h"]);
    /// let fields: Vec<_> = aliases.aliases("source.ip").iter().map(|a| a.field()).collect();
    /// assert_eq!(fields, ["src", "id.orig_h"]);
    /// ```
    pub fn equivalent(mut self, names: &[&str]) -> FieldAliases {
        for &field in names {
            for &other in names {
                self.insert(field, Alias::new(other));
            }
        }
        self
    }

    /// Appends the aliases of `other` after those already in this table.
    ///
    /// ```
    /// use iocmatch::event::FieldAliases;
    ///
    /// let aliases = FieldAliases::new().alias("user", "login").merge(&FieldAliases::sysmon());
    /// assert!(aliases.is_known("login"));
    /// assert!(aliases.is_known("ParentImage"));
    /// assert_eq!(aliases.aliases("user")[0].field(), "login");
    /// ```
    pub fn merge(mut self, other: &FieldAliases) -> FieldAliases {
        for (field, aliases) in &other.table {
            for alias in aliases {
                self.insert(field, alias.clone());
            }
        }
        self
    }

    /// Returns the aliases of `field` in the order they are tried.
    pub fn aliases(&self, field: &str) -> &[Alias] {
        self.table.get(field).map_or(&[], Vec::as_slice)
    }

    /// Returns `true` when the table mentions `field`, as a name with aliases or as an alias.
    ///
    /// ```
    /// use iocmatch::event::FieldAliases;
    ///
    /// let aliases = FieldAliases::builtin();
    /// assert!(aliases.is_known("process.user"));
    /// assert!(aliases.is_known("SubjectUserName"));
    /// assert!(!aliases.is_known("process.usr"));
    /// ```
    pub fn is_known(&self, field: &str) -> bool {
        self.table.contains_key(field)
            || self
                .table
                .values()
                .flatten()
                .any(|alias| alias.field == field)
    }

    /// Returns the names that have aliases, sorted.
    pub fn fields(&self) -> Vec<&str> {
        let mut fields: Vec<&str> = self.table.keys().map(String::as_str).collect();
        fields.sort_unstable();
        fields
    }

    /// Returns every built-in profile combined, in this order: ECS, Sysmon, Windows Security,
    /// Sentinel `DeviceProcessEvents`, Sentinel `DnsEvents`, Zeek `dns.log`.
    ///
    /// Profiles are combined per concept, so a source field of one profile also aliases the
    /// source fields of the others (`CommandLine` reads `ProcessCommandLine`).
    ///
    /// The first alias an event has wins, so the order matters when one event carries several
    /// spellings. For example NXLog-shipped Sysmon records carry `AccountName` for the account
    /// of the logging agent (`SYSTEM`) next to `User`. `User` comes first and wins, but a Sysmon
    /// record without `User` resolves `process.user` to that agent account. Use the profile of
    /// the event source where that matters.
    pub fn builtin() -> FieldAliases {
        build(&[
            ECS,
            SYSMON,
            WINDOWS_SECURITY,
            DEVICE_PROCESS_EVENTS,
            DNS_EVENTS,
            ZEEK_DNS,
        ])
    }

    /// Returns one table for several event schemas, linking the fields that carry one concept
    /// across all of them (so `Name` in Sentinel `DnsEvents` reaches `QueryName` in Sysmon).
    /// Merging separately built tables does not link across schemas; this does.
    ///
    /// ```
    /// use iocmatch::event::{AliasProfile, AliasedEvent, Event, FieldAliases};
    /// use serde_json::json;
    ///
    /// let aliases = FieldAliases::from_profiles(&[AliasProfile::Sysmon, AliasProfile::SentinelDnsEvents]);
    /// let event = json!({"QueryName": "cdn.demale.shop"});
    /// assert_eq!(AliasedEvent::new(&event, &aliases).collect_values("Name"), ["cdn.demale.shop"]);
    /// ```
    pub fn from_profiles(profiles: &[AliasProfile]) -> FieldAliases {
        let profiles: Vec<Profile> = profiles.iter().map(|profile| profile.fields()).collect();
        build(&profiles)
    }

    /// Returns the Elastic Common Schema profile, which also maps the rule-page names
    /// (`process.user`, `process.parent_process_name`, `process.machine_name`) to ECS.
    pub fn ecs() -> FieldAliases {
        build(&[ECS])
    }

    /// Returns the Sysmon profile (event 1 process creation and event 22 DNS query), with
    /// `Computer` as a fallback for records collected into Sentinel.
    pub fn sysmon() -> FieldAliases {
        build(&[SYSMON])
    }

    /// Returns the Windows Security event 4688 (process creation) profile, including the
    /// Sentinel `SecurityEvent` spelling (`Computer`, `Process`).
    ///
    /// The user is `SubjectUserName`, the account that created the process.
    pub fn windows_security() -> FieldAliases {
        build(&[WINDOWS_SECURITY])
    }

    /// Returns the Sentinel (Defender for Endpoint) `DeviceProcessEvents` profile.
    ///
    /// The parent of the new process is the initiating process, so
    /// `process.parent_process_name` reads `InitiatingProcessFileName`.
    /// `InitiatingProcessParentFileName` names the grandparent and is deliberately not an
    /// alias.
    pub fn sentinel_device_process_events() -> FieldAliases {
        build(&[DEVICE_PROCESS_EVENTS])
    }

    /// Returns the Sentinel `DnsEvents` profile (Windows DNS server logs).
    pub fn sentinel_dns_events() -> FieldAliases {
        build(&[DNS_EVENTS])
    }

    /// Returns the Zeek `dns.log` profile.
    pub fn zeek_dns() -> FieldAliases {
        build(&[ZEEK_DNS])
    }
}

/// An event schema with a built-in alias profile, for [`FieldAliases::from_profiles`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AliasProfile {
    /// Elastic Common Schema, with the rule-page names (`process.user`, …).
    Ecs,
    /// Sysmon events 1 and 22.
    Sysmon,
    /// Windows Security event 4688.
    WindowsSecurity,
    /// Sentinel (Defender for Endpoint) `DeviceProcessEvents`.
    SentinelDeviceProcessEvents,
    /// Sentinel `DnsEvents`.
    SentinelDnsEvents,
    /// Zeek `dns.log`.
    ZeekDns,
}

impl AliasProfile {
    fn fields(self) -> Profile {
        match self {
            AliasProfile::Ecs => ECS,
            AliasProfile::Sysmon => SYSMON,
            AliasProfile::WindowsSecurity => WINDOWS_SECURITY,
            AliasProfile::SentinelDeviceProcessEvents => DEVICE_PROCESS_EVENTS,
            AliasProfile::SentinelDnsEvents => DNS_EVENTS,
            AliasProfile::ZeekDns => ZEEK_DNS,
        }
    }
}

/// The names a filter may use for one concept: the rule-page name (if it differs) and ECS.
type Concept = &'static [&'static str];

const USER: Concept = &["process.user", "user.name"];
const PARENT_NAME: Concept = &["process.parent_process_name", "process.parent.name"];
const HOST: Concept = &["process.machine_name", "host.name"];
const COMMAND_LINE: Concept = &["process.command_line"];
const EXECUTABLE: Concept = &["process.executable"];
const NAME: Concept = &["process.name"];
const PARENT_EXECUTABLE: Concept = &["process.parent.executable"];
const PARENT_COMMAND_LINE: Concept = &["process.parent.command_line"];
const ENTITY_ID: Concept = &["process.entity_id"];
const PARENT_ENTITY_ID: Concept = &["process.parent.entity_id"];
const DNS_QUESTION: Concept = &["dns.question.name"];
const SOURCE_IP: Concept = &["source.ip"];
const DESTINATION_IP: Concept = &["destination.ip"];

/// The source fields that carry each concept in one event schema.
type Profile = &'static [(Concept, &'static [(&'static str, Transform)])];

const ECS: Profile = &[
    (USER, &[]),
    (PARENT_NAME, &[]),
    (HOST, &[("host.hostname", Identity)]),
    (COMMAND_LINE, &[]),
    (EXECUTABLE, &[]),
    (NAME, &[]),
    (PARENT_EXECUTABLE, &[]),
    (PARENT_COMMAND_LINE, &[]),
    (ENTITY_ID, &[]),
    (PARENT_ENTITY_ID, &[]),
    (DNS_QUESTION, &[]),
    (SOURCE_IP, &[]),
    (DESTINATION_IP, &[]),
];

const SYSMON: Profile = &[
    (USER, &[("User", Identity)]),
    (PARENT_NAME, &[("ParentImage", Basename)]),
    (HOST, &[("Hostname", Identity), ("Computer", Identity)]),
    (COMMAND_LINE, &[("CommandLine", Identity)]),
    (EXECUTABLE, &[("Image", Identity)]),
    (NAME, &[("Image", Basename)]),
    (PARENT_EXECUTABLE, &[("ParentImage", Identity)]),
    (PARENT_COMMAND_LINE, &[("ParentCommandLine", Identity)]),
    (ENTITY_ID, &[("ProcessGuid", Identity)]),
    (PARENT_ENTITY_ID, &[("ParentProcessGuid", Identity)]),
    (DNS_QUESTION, &[("QueryName", Identity)]),
];

const WINDOWS_SECURITY: Profile = &[
    (USER, &[("SubjectUserName", Identity)]),
    (PARENT_NAME, &[("ParentProcessName", Basename)]),
    (HOST, &[("Hostname", Identity), ("Computer", Identity)]),
    (COMMAND_LINE, &[("CommandLine", Identity)]),
    (EXECUTABLE, &[("NewProcessName", Identity)]),
    (NAME, &[("NewProcessName", Basename), ("Process", Identity)]),
    (PARENT_EXECUTABLE, &[("ParentProcessName", Identity)]),
];

const DEVICE_PROCESS_EVENTS: Profile = &[
    (
        USER,
        &[
            ("AccountName", Identity),
            ("InitiatingProcessAccountName", Identity),
        ],
    ),
    (PARENT_NAME, &[("InitiatingProcessFileName", Identity)]),
    (HOST, &[("DeviceName", Identity)]),
    (COMMAND_LINE, &[("ProcessCommandLine", Identity)]),
    (EXECUTABLE, &[("FolderPath", Identity)]),
    (NAME, &[("FileName", Identity)]),
    (
        PARENT_EXECUTABLE,
        &[("InitiatingProcessFolderPath", Identity)],
    ),
    (
        PARENT_COMMAND_LINE,
        &[("InitiatingProcessCommandLine", Identity)],
    ),
];

const DNS_EVENTS: Profile = &[
    (HOST, &[("Computer", Identity)]),
    (DNS_QUESTION, &[("Name", Identity)]),
    (SOURCE_IP, &[("ClientIP", Identity)]),
];

const ZEEK_DNS: Profile = &[
    (DNS_QUESTION, &[("query", Identity)]),
    (SOURCE_IP, &[("id.orig_h", Identity)]),
    (DESTINATION_IP, &[("id.resp_h", Identity)]),
];

/// Builds an alias table from profiles.
///
/// For each concept, the members are its names followed by the source fields every profile
/// gives it, in profile order. Every untransformed member gets all the other members as aliases.
/// A transformed source field gets no entry, because its raw values mean something else (a
/// path, not a file name).
fn build(profiles: &[Profile]) -> FieldAliases {
    // Step 1: gather the members of each concept, keeping the order concepts first appear in.
    let mut concepts: Vec<(Concept, Vec<Alias>)> = Vec::new();
    for profile in profiles {
        for &(concept, sources) in profile.iter() {
            let index = match concepts
                .iter()
                .position(|(known, _)| known[0] == concept[0])
            {
                Some(index) => index,
                None => {
                    let names = concept.iter().map(|&name| Alias::new(name)).collect();
                    concepts.push((concept, names));
                    concepts.len() - 1
                }
            };
            let members = &mut concepts[index].1;
            for &(field, transform) in sources {
                let alias = Alias {
                    field: field.to_owned(),
                    transform,
                };
                if !members.contains(&alias) {
                    members.push(alias);
                }
            }
        }
    }

    // Step 2: alias every untransformed member to all the others.
    let mut aliases = FieldAliases::new();
    for (_, members) in &concepts {
        for member in members.iter().filter(|m| m.transform == Identity) {
            for other in members.iter().filter(|other| *other != member) {
                aliases.insert(&member.field, other.clone());
            }
        }
    }
    aliases
}

/// An event seen through a [`FieldAliases`] table.
///
/// A field resolves to itself when the event has it, otherwise to the first alias the event has,
/// with the alias's transform applied to each value.
#[derive(Debug, Clone, Copy)]
pub struct AliasedEvent<'a, E: Event + ?Sized> {
    event: &'a E,
    aliases: &'a FieldAliases,
}

impl<'a, E: Event + ?Sized> AliasedEvent<'a, E> {
    /// Wraps `event` so fields resolve through `aliases`.
    pub fn new(event: &'a E, aliases: &'a FieldAliases) -> AliasedEvent<'a, E> {
        AliasedEvent { event, aliases }
    }

    /// Returns the spelling of `field` this event resolves to, or `None` when neither the field
    /// nor any alias is present.
    ///
    /// ```
    /// use iocmatch::event::{AliasedEvent, FieldAliases, Transform};
    /// use serde_json::json;
    ///
    /// let aliases = FieldAliases::windows_security();
    /// let event = json!({"ParentProcessName": r"C:\Windows\System32\services.exe"});
    /// let event = AliasedEvent::new(&event, &aliases);
    /// let alias = event.resolve("process.parent_process_name").unwrap();
    /// assert_eq!(alias.field(), "ParentProcessName");
    /// assert_eq!(alias.transform(), Transform::Basename);
    /// ```
    pub fn resolve(&self, field: &str) -> Option<Alias> {
        if self.event.has_field(field) {
            return Some(Alias::new(field));
        }
        self.aliases
            .aliases(field)
            .iter()
            .find(|alias| self.event.has_field(&alias.field))
            .cloned()
    }
}

impl<E: Event + ?Sized> Event for AliasedEvent<'_, E> {
    fn visit_values(
        &self,
        field: &str,
        visit: &mut dyn FnMut(&str) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        if self.event.has_field(field) {
            return self.event.visit_values(field, visit);
        }
        let Some(alias) = self
            .aliases
            .aliases(field)
            .iter()
            .find(|alias| self.event.has_field(&alias.field))
        else {
            return ControlFlow::Continue(());
        };
        let transform = alias.transform;
        self.event
            .visit_values(&alias.field, &mut |value| visit(transform.apply(value)))
    }

    fn has_field(&self, field: &str) -> bool {
        self.event.has_field(field)
            || self
                .aliases
                .aliases(field)
                .iter()
                .any(|alias| self.event.has_field(&alias.field))
    }
}
