//! zlib (RFC 1950) compression, and decompression under a size bound.

use std::io::{Read, Write};

use flate2::write::ZlibEncoder;
use flate2::Compression;

/// Compresses `data` at the best compression level. The output is deterministic for a given
/// `flate2` backend; other deflaters may produce different, equally valid streams.
pub(crate) fn compress(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut enc = ZlibEncoder::new(Vec::new(), Compression::best());
    enc.write_all(data)?;
    enc.finish()
}

/// Decompresses one complete zlib stream, refusing output longer than `limit` bytes (without
/// producing it), a truncated or corrupt stream, a bad checksum, and bytes after the stream.
pub(crate) fn inflate_bounded(data: &[u8], limit: usize) -> Result<Vec<u8>, String> {
    let mut dec = flate2::bufread::ZlibDecoder::new(data);
    let mut out = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    (&mut dec)
        .take(cap)
        .read_to_end(&mut out)
        .map_err(|e| format!("not a valid zlib stream: {e}"))?;
    if out.len() > limit {
        return Err(format!("inflates to more than {limit} bytes"));
    }
    if dec.total_in() == 0 {
        return Err("empty zlib stream".into());
    }
    let rest = dec.into_inner();
    if !rest.is_empty() {
        return Err(format!(
            "{} bytes after the end of the zlib stream",
            rest.len()
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bounds() {
        let data = vec![b'a'; 1000];
        let z = compress(&data).unwrap();
        assert_eq!(inflate_bounded(&z, 1000).unwrap(), data);
        assert!(inflate_bounded(&z, 999).unwrap_err().contains("more than"));
        let mut trailing = z.clone();
        trailing.push(0);
        assert!(inflate_bounded(&trailing, 1000).is_err());
        assert!(inflate_bounded(&z[..z.len() - 1], 1000).is_err());
        assert!(inflate_bounded(&z[..z.len() / 2], 1000).is_err());
        assert!(inflate_bounded(b"", 1000).is_err());
        assert!(inflate_bounded(b"not zlib", 1000).is_err());
        let mut bad_sum = z.clone();
        let last = bad_sum.len() - 1;
        bad_sum[last] ^= 1;
        assert!(inflate_bounded(&bad_sum, 1000).is_err());
    }
}
