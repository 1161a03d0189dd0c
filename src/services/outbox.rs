//! Mail: messages are queued in the register's outbox, then sent by a transport — the
//! `file` transport writes `.eml` files to `output/outbox/`, the `smtp` transport talks
//! to a server over TLS. Transient failures are retried with growing back-off; permanent
//! ones stop and are recorded with the server's words.

use std::net::{IpAddr, ToSocketAddrs};
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use serde::Serialize;

use crate::config::workspace::{Keamanan, TransportKind, Workspace};
use crate::domain::surel::backoff;
use crate::domain::surel::{Lampiran, Surel, SurelBaru};
use crate::store::{Register, RegisterError};
use crate::util::acak::sha256_hex;
use crate::util::files;

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error("konfigurasi surel: {0}")]
    Config(String),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error(
        "surel terlalu besar: {ukuran:.1} MB, batasnya {batas} MB ([surel] batas_mb); kirim lampirannya terpisah"
    )]
    TooLarge { ukuran: f64, batas: u32 },
    #[error(transparent)]
    Random(#[from] crate::util::acak::AcakError),
}

type Result<T> = std::result::Result<T, MailError>;

/// A file to attach, described for the outbox (path relative to the workspace).
pub fn attachment(ws: &Workspace, path: &Path) -> Result<Lampiran> {
    let bytes = std::fs::read(path).map_err(|e| MailError::Io(path.display().to_string(), e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "lampiran".into());
    let jenis = match path.extension().and_then(|e| e.to_str()) {
        Some("pdf") => "application/pdf",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("eml") => "message/rfc822",
        _ => "application/octet-stream",
    };
    let rel = path.strip_prefix(&ws.dir).unwrap_or(path);
    Ok(Lampiran {
        berkas: rel.to_string_lossy().into_owned(),
        nama: name,
        jenis: jenis.into(),
        sha256: sha256_hex(&bytes),
        ukuran: bytes.len() as u64,
    })
}

/// Recipients from the profile: `[surel] kepada`, or the office's own address.
pub fn recipients(ws: &Workspace) -> Vec<String> {
    if ws.profil.surel.kepada.is_empty() {
        vec![ws.profil.kantor.email.clone()]
    } else {
        ws.profil.surel.kepada.clone()
    }
}

fn sender(ws: &Workspace) -> String {
    let s = ws.profil.surel.pengirim.trim();
    if s.is_empty() {
        ws.profil.kantor.email.clone()
    } else {
        s.to_string()
    }
}

/// A new, globally unique Message-ID, fixed when the message is queued.
pub fn new_message_id(ws: &Workspace, stem: &str) -> Result<String> {
    let domain = sender(ws)
        .rsplit_once('@')
        .map(|(_, d)| d.to_string())
        .unwrap_or_else(|| "kelurahan.local".into());
    let r = crate::util::acak::random_u64()?;
    Ok(format!("<{stem}.{r:016x}@{domain}>"))
}

/// Queues a message after checking its size against the limit.
pub fn queue(
    ws: &Workspace,
    reg: &mut Register,
    m: &SurelBaru,
    at: DateTime<FixedOffset>,
) -> Result<Surel> {
    let size: u64 = m.lampiran.iter().map(|l| l.ukuran).sum::<u64>() + m.isi.len() as u64;
    // Base64 makes attachments about a third larger on the wire.
    let wire = size as f64 * 4.0 / 3.0 / 1_048_576.0;
    if wire > ws.profil.surel.batas_mb as f64 {
        return Err(MailError::TooLarge {
            ukuran: wire,
            batas: ws.profil.surel.batas_mb,
        });
    }
    Ok(reg.queue_mail(m, at)?)
}

/// Why one attempt failed, and whether to try again.
#[derive(Debug, Clone)]
pub struct Failure {
    pub permanent: bool,
    pub message: String,
}

fn build(ws: &Workspace, m: &Surel) -> std::result::Result<Message, Failure> {
    let permanent = |message: String| Failure {
        permanent: true,
        message,
    };
    let from: Mailbox = format!("{} <{}>", ws.profil.kantor.kelurahan, sender(ws))
        .parse()
        .map_err(|e| permanent(format!("alamat pengirim tidak sah: {e}")))?;
    let mut b = Message::builder()
        .message_id(Some(m.message_id.clone()))
        .from(from)
        .subject(m.subjek.clone())
        .date(m.dibuat.into());
    for to in &m.kepada {
        b = b.to(to
            .parse()
            .map_err(|e| permanent(format!("alamat penerima `{to}` tidak sah: {e}")))?);
    }
    let mut body = MultiPart::mixed().singlepart(SinglePart::plain(m.isi.clone()));
    for l in &m.lampiran {
        let path = ws.dir.join(&l.berkas);
        let bytes = std::fs::read(&path)
            .map_err(|e| permanent(format!("lampiran {} tidak dapat dibaca: {e}", l.berkas)))?;
        if sha256_hex(&bytes) != l.sha256 {
            return Err(permanent(format!(
                "lampiran {} berubah sejak surel diantrekan; buat ulang laporannya",
                l.berkas
            )));
        }
        let ct = ContentType::parse(&l.jenis)
            .map_err(|e| permanent(format!("jenis lampiran `{}` tidak sah: {e}", l.jenis)))?;
        body = body.singlepart(Attachment::new(l.nama.clone()).body(bytes, ct));
    }
    b.multipart(body)
        .map_err(|e| permanent(format!("surel tidak dapat disusun: {e}")))
}

fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => (host, 0)
            .to_socket_addrs()
            .map(|mut a| a.all(|s| s.ip().is_loopback()))
            .unwrap_or(false),
    }
}

/// The configured SMTP transport, or why it cannot be used. Credentials are never sent
/// over a plaintext connection except to a loopback address.
pub fn smtp_transport(ws: &Workspace) -> Result<SmtpTransport> {
    let c = &ws.profil.surel.smtp;
    if c.host.trim().is_empty() {
        return Err(MailError::Config("[surel.smtp] host kosong".into()));
    }
    let password = if !c.berkas_sandi.trim().is_empty() {
        let p = Path::new(c.berkas_sandi.trim());
        Some(
            std::fs::read_to_string(p)
                .map_err(|e| MailError::Io(p.display().to_string(), e))?
                .trim()
                .to_string(),
        )
    } else {
        std::env::var("KELURAHAN_SMTP_PASSWORD").ok()
    };
    let tls = || -> Result<TlsParameters> {
        let mut b = TlsParameters::builder(c.host.clone());
        if !c.sertifikat_ca.trim().is_empty() {
            let p = ws.dir.join(c.sertifikat_ca.trim());
            let pem = std::fs::read(&p).map_err(|e| MailError::Io(p.display().to_string(), e))?;
            b = b.add_root_certificate(
                Certificate::from_pem(&pem)
                    .map_err(|e| MailError::Config(format!("sertifikat_ca: {e}")))?,
            );
        }
        b.build_rustls()
            .map_err(|e| MailError::Config(format!("TLS: {e}")))
    };
    let mut b = SmtpTransport::builder_dangerous(c.host.trim())
        .port(c.port)
        .timeout(Some(Duration::from_secs(c.batas_waktu_detik.max(1))));
    b = match c.keamanan {
        Keamanan::Starttls => b.tls(Tls::Required(tls()?)),
        Keamanan::Tls => b.tls(Tls::Wrapper(tls()?)),
        Keamanan::Tanpa => {
            if password.is_some() && !is_loopback(c.host.trim()) {
                return Err(MailError::Config(format!(
                    "sandi tidak dikirim tanpa enkripsi ke {}; pakai keamanan \"starttls\" atau \"tls\"",
                    c.host
                )));
            }
            b.tls(Tls::None)
        }
    };
    if let Some(pw) = password {
        b = b.credentials(Credentials::new(c.pengguna.clone(), pw));
    }
    Ok(b.build())
}

fn classify(e: &lettre::transport::smtp::Error) -> Failure {
    let words = e.to_string();
    let (permanent, what) = if e.is_permanent() {
        (true, "server menolak surel (galat tetap)")
    } else if e.is_transient() {
        (false, "server menolak sementara")
    } else if e.is_timeout() {
        (false, "waktu habis menunggu server")
    } else if e.is_tls() {
        (true, "sambungan TLS gagal")
    } else {
        (false, "sambungan ke server gagal")
    };
    Failure {
        permanent,
        message: format!("{what}: {words}"),
    }
}

/// What one `kirim` run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SendSummary {
    pub terkirim: usize,
    pub dicoba_lagi: usize,
    pub gagal: usize,
    pub pesan: Vec<String>,
}

/// Sends every message due at `now` with the configured transport.
pub fn send_due(
    ws: &Workspace,
    reg: &mut Register,
    now: DateTime<FixedOffset>,
) -> Result<SendSummary> {
    let transport = match ws.profil.surel.transport {
        TransportKind::File => None,
        TransportKind::Smtp => Some(smtp_transport(ws)?),
    };
    let mut out = SendSummary::default();
    let max = ws.profil.surel.maks_percobaan as i64;
    // A claim outlives the slowest attempt (timeouts on connect, TLS and each command).
    let lease = 10 * ws.profil.surel.smtp.batas_waktu_detik.max(30) as i64;
    while let Some(m) = reg.claim_mail(now, lease)? {
        let result = build(ws, &m).and_then(|msg| match &transport {
            None => {
                let stem: String = m
                    .message_id
                    .trim_matches(|c| c == '<' || c == '>')
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                let path = ws.dir.join("output/outbox").join(format!("{stem}.eml"));
                files::write_atomic(&path, &msg.formatted()).map_err(|e| Failure {
                    permanent: false,
                    message: format!("{} tidak dapat ditulis: {e}", path.display()),
                })
            }
            Some(t) => t.send(&msg).map(|_| ()).map_err(|e| classify(&e)),
        });
        match result {
            Ok(()) => {
                reg.mail_sent(m.id, now)?;
                out.terkirim += 1;
            }
            Err(f) if f.permanent || m.percobaan >= max => {
                let msg = if f.permanent {
                    f.message
                } else {
                    format!("{} (batas {max} percobaan tercapai)", f.message)
                };
                reg.mail_failed(m.id, &msg, None)?;
                out.gagal += 1;
                out.pesan.push(format!("surel {}: gagal: {msg}", m.id));
            }
            Err(f) => {
                let next = now + backoff(m.percobaan);
                reg.mail_failed(m.id, &f.message, Some(next))?;
                out.dicoba_lagi += 1;
                out.pesan.push(format!(
                    "surel {}: dicoba lagi {}: {}",
                    m.id,
                    crate::domain::calendar::waktu(&next, ws.profil.tz()),
                    f.message
                ));
            }
        }
    }
    Ok(out)
}
