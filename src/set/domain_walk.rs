//! The label-aware domain walk over the FST of byte-reversed indicator domains.
//!
//! Keys are stored reversed (`evil.com` as `moc.live`, `*.evil.com` as `moc.live.*`), so every
//! suffix of a name is a prefix of the reversed name. One walk from the name's last byte towards
//! its first follows FST transitions; each time it has consumed a whole label (the next byte to
//! the left is `.` or there is none), a final node means the suffix read so far is an indicator.
//! Testing finality only at label starts is what makes `notevil.com` miss `evil.com`. The walk
//! folds ASCII case byte by byte and allocates nothing.

use fst::raw::{Fst, Node, Output};

/// One indicator that covers a name: the entry number stored as the FST value, and where the
/// indicator's domain starts in the name (it always ends at the end of the name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CoveringKey {
    pub(crate) entry: u64,
    pub(crate) start: usize,
}

/// Iterator over the indicators covering one name, shortest suffix first. At one suffix a plain
/// indicator comes before a wildcard one.
pub(crate) struct CoveringKeys<'f, 'n> {
    fst: &'f Fst<Vec<u8>>,
    name: &'n [u8],
    node: Node<'f>,
    output: Output,
    /// Bytes `name[position..]` have been consumed.
    position: usize,
    exact_only: bool,
    has_wildcards: bool,
    pending_wildcard: Option<CoveringKey>,
}

impl<'f, 'n> CoveringKeys<'f, 'n> {
    /// Starts a walk of `name`, which has no root dot and may be in any ASCII case.
    pub(crate) fn new(
        fst: &'f Fst<Vec<u8>>,
        name: &'n [u8],
        exact_only: bool,
        has_wildcards: bool,
    ) -> Self {
        CoveringKeys {
            fst,
            name,
            node: fst.root(),
            output: Output::zero(),
            position: name.len(),
            exact_only,
            has_wildcards,
            pending_wildcard: None,
        }
    }

    /// Follows one input byte, or returns `None` when the FST has no such transition.
    fn follow(&self, node: Node<'f>, output: Output, byte: u8) -> Option<(Node<'f>, Output)> {
        let index = node.find_input(byte)?;
        let transition = node.transition(index);
        Some((self.fst.node(transition.addr), output.cat(transition.out)))
    }

    /// Looks for the key `<suffix>.*` once the walk stands at a label start with at least one
    /// more label to its left, which is what a wildcard indicator needs.
    fn wildcard_at(&self, start: usize) -> Option<CoveringKey> {
        if start < 2 || self.name[start - 2] == b'.' {
            return None;
        }
        let (node, output) = self.follow(self.node, self.output, b'.')?;
        let (node, output) = self.follow(node, output, b'*')?;
        node.is_final().then(|| CoveringKey {
            entry: output.cat(node.final_output()).value(),
            start,
        })
    }
}

impl Iterator for CoveringKeys<'_, '_> {
    type Item = CoveringKey;

    fn next(&mut self) -> Option<CoveringKey> {
        if let Some(wildcard) = self.pending_wildcard.take() {
            return Some(wildcard);
        }
        while self.position > 0 {
            let at = self.position - 1;
            let byte = self.name[at].to_ascii_lowercase();
            let Some((node, output)) = self.follow(self.node, self.output, byte) else {
                self.position = 0;
                return None;
            };
            self.node = node;
            self.output = output;
            self.position = at;

            let at_label_start = at == 0 || self.name[at - 1] == b'.';
            if !at_label_start {
                continue;
            }
            let wildcard = if self.has_wildcards {
                self.wildcard_at(at)
            } else {
                None
            };
            let plain =
                (self.node.is_final() && (!self.exact_only || at == 0)).then(|| CoveringKey {
                    entry: self.output.cat(self.node.final_output()).value(),
                    start: at,
                });
            match (plain, wildcard) {
                (Some(plain), wildcard) => {
                    self.pending_wildcard = wildcard;
                    return Some(plain);
                }
                (None, Some(wildcard)) => return Some(wildcard),
                (None, None) => {}
            }
        }
        None
    }
}

/// Builds the FST key of a lower-case domain: its bytes reversed, then `.*` for a wildcard.
pub(crate) fn reversed_key(domain: &str, wildcard: bool) -> Vec<u8> {
    let mut key: Vec<u8> = domain.bytes().rev().collect();
    if wildcard {
        key.extend_from_slice(b".*");
    }
    key
}
