//! The office's people who log in (pengguna): their roles, password rules, argon2
//! hashing, and the login check with its lock-out after repeated failures. The
//! accounts themselves are kept by `register`.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, FixedOffset};

use crate::domain::pengguna::{Pengguna, PeranPengguna};
use crate::store::{Register, RegisterError};

use crate::domain::pengguna::{LAMA_KUNCI_MENIT, MAX_GAGAL, SANDI_MIN};

#[derive(Debug, thiserror::Error)]
pub enum PenggunaError {
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error("kata sandi terlalu pendek: sedikitnya {SANDI_MIN} karakter")]
    SandiPendek,
    #[error("kata sandi tidak boleh sama dengan nama")]
    SandiSamaNama,
    #[error("nama pengguna harus diisi (2 sampai 80 karakter, tanpa karakter kendali)")]
    NamaTidakSah,
    #[error("kata sandi tidak dapat disandikan: {0}")]
    Hash(String),
    /// Unknown name, wrong password or a locked account: the same words for all, so a
    /// guesser learns nothing about which names exist.
    #[error(
        "nama atau kata sandi salah (setelah {MAX_GAGAL} kali salah berturut-turut, akun dikunci {LAMA_KUNCI_MENIT} menit)"
    )]
    Salah,
    #[error("akun {0} dinonaktifkan")]
    Nonaktif(String),
}

/// Checks a new name: what the history will print.
pub fn check_nama(nama: &str) -> Result<String, PenggunaError> {
    let n = nama.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = n.chars().count();
    if !(2..=80).contains(&len) || n.chars().any(char::is_control) {
        return Err(PenggunaError::NamaTidakSah);
    }
    Ok(n)
}

/// Checks a new password against the office's rules.
pub fn check_sandi(nama: &str, sandi: &str) -> Result<(), PenggunaError> {
    if sandi.chars().count() < SANDI_MIN {
        return Err(PenggunaError::SandiPendek);
    }
    if sandi.trim().eq_ignore_ascii_case(nama.trim()) {
        return Err(PenggunaError::SandiSamaNama);
    }
    Ok(())
}

/// An argon2id hash in PHC form (`$argon2id$v=19$m=19456,t=2,p=1$…`), with a random salt.
pub fn hash(sandi: &str) -> Result<String, PenggunaError> {
    Argon2::default()
        .hash_password(sandi.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PenggunaError::Hash(e.to_string()))
}

fn verify(sandi: &str, phc: &str) -> bool {
    Argon2::default()
        .verify_password(sandi.as_bytes(), phc)
        .is_ok()
}

/// A hash of nothing anyone knows, verified against when the name is unknown so that
/// an unknown name takes as long to refuse as a wrong password.
fn decoy() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("bukan-kata-sandi-siapa-pun").unwrap_or_default())
}

/// Adds a person with a checked name and password.
pub fn tambah(
    reg: &mut Register,
    nama: &str,
    peran: PeranPengguna,
    sandi: &str,
    at: DateTime<FixedOffset>,
) -> Result<Pengguna, PenggunaError> {
    let nama = check_nama(nama)?;
    check_sandi(&nama, sandi)?;
    Ok(reg.add_user(&nama, peran, &hash(sandi)?, at)?)
}

/// Sets a new password (and lifts a lock-out).
pub fn ganti_sandi(
    reg: &mut Register,
    nama: &str,
    sandi: &str,
    at: DateTime<FixedOffset>,
) -> Result<Pengguna, PenggunaError> {
    let p = reg.user(nama)?;
    check_sandi(&p.nama, sandi)?;
    Ok(reg.set_password(p.id, &hash(sandi)?, at)?)
}

/// A login: the person, if the name and password match, the account is active and
/// not locked. Every failure counts; the fifth in a row locks the account for 15
/// minutes, and a success resets the count.
pub fn masuk(
    reg: &mut Register,
    nama: &str,
    sandi: &str,
    now: DateTime<FixedOffset>,
) -> Result<Pengguna, PenggunaError> {
    // Every refusal verifies one hash and answers in the same words: an unknown name,
    // a wrong password and a locked account cost and read alike.
    let Some((p, phc)) = reg.user_with_hash(nama)? else {
        verify(sandi, decoy());
        return Err(PenggunaError::Salah);
    };
    let right = verify(sandi, &phc);
    if p.kunci_sampai.is_some_and(|until| until > now) {
        return Err(PenggunaError::Salah);
    }
    if !right {
        let lock = (p.gagal + 1 >= MAX_GAGAL).then(|| now + Duration::minutes(LAMA_KUNCI_MENIT));
        reg.login_failed(p.id, lock)?;
        return Err(PenggunaError::Salah);
    }
    if !p.aktif {
        return Err(PenggunaError::Nonaktif(p.nama));
    }
    Ok(reg.login_succeeded(p.id)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules_and_hashes() {
        assert!(matches!(
            check_sandi("Rina", "pendek"),
            Err(PenggunaError::SandiPendek)
        ));
        assert!(matches!(
            check_sandi("Rina Marlina", "rina marlina"),
            Err(PenggunaError::SandiSamaNama)
        ));
        let h = hash("kuda-lumping-42").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("kuda-lumping-42", &h));
        assert!(!verify("kuda-lumping-43", &h));
        assert_ne!(
            h,
            hash("kuda-lumping-42").unwrap(),
            "a fresh salt each time"
        );
        assert_eq!(check_nama("  Rina   Marlina ").unwrap(), "Rina Marlina");
        assert!(check_nama("x").is_err());
        assert_eq!("kasi".parse::<PeranPengguna>(), Ok(PeranPengguna::Kasi));
        assert_eq!(PeranPengguna::Admin.sop(), None);
    }
}
