//! DER and PEM encodings of an RSA public key (what `openssl rsa -pubout` or a
//! JWK-to-PEM converter prints): SubjectPublicKeyInfo (RFC 5280 §4.1.2.7, RFC 7468 §13)
//! and PKCS #1 `RSAPublicKey` (RFC 8017 §A.1.1, RFC 7468 §2). Careless JWT verifiers
//! took such text as an HMAC secret (RFC 8725 §2.1), which is why both sides of the
//! algorithm-confusion attack need them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The DER object identifier of `rsaEncryption` (1.2.840.113549.1.1.1, RFC 8017 §A.1).
const RSA_ENCRYPTION_OID: [u8; 9] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// A DER tag-length-value (X.690 §8.1): definite lengths, short or long form.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A non-negative DER INTEGER from big-endian bytes (X.690 §8.3): no leading zero
/// octets, one zero octet when the high bit is set.
fn uint(be: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = be.iter().copied().skip_while(|b| *b == 0).collect();
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend(trimmed);
    tlv(0x02, &content)
}

/// PKCS #1 `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
pub fn rsa_public_key_der(n: &[u8], e: &[u8]) -> Vec<u8> {
    tlv(0x30, &[uint(n), uint(e)].concat())
}

/// `SubjectPublicKeyInfo` of an RSA key: the algorithm (`rsaEncryption`, NULL
/// parameters) and the PKCS #1 key in a BIT STRING with no unused bits.
pub fn rsa_spki_der(n: &[u8], e: &[u8]) -> Vec<u8> {
    let algorithm = tlv(
        0x30,
        &[tlv(0x06, &RSA_ENCRYPTION_OID), vec![0x05, 0x00]].concat(),
    );
    let key = [vec![0x00], rsa_public_key_der(n, e)].concat();
    tlv(0x30, &[algorithm, tlv(0x03, &key)].concat())
}

/// Textual encoding (RFC 7468 §2): base64 in lines of 64, between the label's
/// boundaries, ending with a line break.
pub fn pem(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths_and_integers() {
        assert_eq!(tlv(0x04, &[1, 2]), [0x04, 2, 1, 2]);
        let long = tlv(0x04, &[0; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(uint(&[0x00, 0x01, 0x00, 0x01]), [0x02, 3, 0x01, 0x00, 0x01]);
        assert_eq!(uint(&[0x80]), [0x02, 2, 0x00, 0x80]);
    }

    #[test]
    fn spki_pem_of_a_small_key() {
        // n = 0xC5 (high bit set: a leading zero octet), e = 65537.
        let der = rsa_spki_der(&[0xc5], &[0x01, 0x00, 0x01]);
        assert_eq!(
            der,
            [
                0x30, 0x1d, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01,
                0x01, 0x05, 0x00, 0x03, 0x0c, 0x00, 0x30, 0x09, 0x02, 0x02, 0x00, 0xc5, 0x02, 0x03,
                0x01, 0x00, 0x01
            ]
        );
        let text = pem("PUBLIC KEY", &der);
        assert!(text.starts_with("-----BEGIN PUBLIC KEY-----\nMB0wDQYJKoZIhvcNAQEB"));
        assert!(text.ends_with("\n-----END PUBLIC KEY-----\n"));
    }
}
