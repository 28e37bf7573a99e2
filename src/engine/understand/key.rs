//! Names for what the semantic tier keeps: a set of phrasings (their vectors are
//! kept, and computed at build time for the bots' own phrasings) and a model build.
//! Pure and the same on every platform, so that a name computed natively at build
//! time matches the one the browser's worker computes.

/// FNV-1a, 64 bits: small, dependency-free and the same on every platform and
/// Rust version (std's `DefaultHasher` promises neither). Not a security hash: it
/// names a model build or a set of phrasings, to tell them apart in a cache.
pub struct Fnv(u64);

impl Fnv {
    pub fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

impl Default for Fnv {
    fn default() -> Self {
        Self::new()
    }
}

/// Names a list of texts (each one ended, so that ["ab"] and ["a", "b"] differ).
pub fn texts_key<S: AsRef<str>>(texts: &[S]) -> String {
    let mut hash = Fnv::new();
    for text in texts {
        hash.write(text.as_ref().as_bytes());
        hash.write(&[0]);
    }
    format!("{:016x}-{}", hash.finish(), texts.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_named_by_content_and_boundaries() {
        assert_eq!(texts_key(&["a", "b"]), texts_key(&["a".to_string(), "b".to_string()]));
        assert_ne!(texts_key(&["ab"]), texts_key(&["a", "b"]));
        assert!(texts_key(&["a", "b"]).ends_with("-2"));
        // FNV-1a's published value for the empty input.
        assert_eq!(Fnv::new().finish(), 0xcbf2_9ce4_8422_2325);
    }
}
