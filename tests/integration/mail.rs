//! Mail against a real SMTP server on 127.0.0.1 (`smtp_server`, started in this process by
//! each test, with a certificate made in the test): STARTTLS and AUTH, attachments byte
//! for byte, transient and permanent failures, a killed sender, plaintext AUTH refused.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mail_parser::MimeHeaders;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use serde_json::Value;

use crate::Ws;
use crate::letters::issue;
use crate::smtp_server::{self, SmtpServer};

const USER: &str = "kantor";
const PASSWORD: &str = "sandi-aplikasi-uji";

struct Server {
    _smtp: SmtpServer,
    port: u16,
    inbox: PathBuf,
    ca: PathBuf,
}

impl Server {
    fn start(dir: &Path, mode: &str) -> Server {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "CA Uji Kelurahan");
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca_params, ca_key);
        let key = KeyPair::generate().unwrap();
        let params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        let cert = params.signed_by(&key, &issuer).unwrap();
        let ca = dir.join("ca.pem");
        std::fs::write(&ca, ca_cert.pem()).unwrap();
        let inbox = dir.join("kotak-masuk");
        std::fs::create_dir_all(&inbox).unwrap();
        let smtp = SmtpServer::start(smtp_server::Config {
            cert_pem: &cert.pem(),
            key_pem: &key.serialize_pem(),
            inbox: &inbox,
            mode,
            user: USER,
            password: PASSWORD,
        });
        Server {
            port: smtp.port(),
            _smtp: smtp,
            inbox,
            ca,
        }
    }

    fn received(&self) -> Vec<Vec<u8>> {
        let mut files: Vec<_> = std::fs::read_dir(&self.inbox)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        files.iter().map(|p| std::fs::read(p).unwrap()).collect()
    }
}

/// A workspace set to send through `server`, with one letter issued this month.
fn workspace(server: &Server, keamanan: &str) -> (Ws, String) {
    crate::during_report_month();
    let ws = Ws::init();
    let profile = ws.dir.join("kelurahan.toml");
    let text = std::fs::read_to_string(&profile)
        .unwrap()
        .replace("transport = \"file\"", "transport = \"smtp\"")
        .replace("host = \"smtp.gmail.com\"", "host = \"localhost\"")
        .replace("port = 587", &format!("port = {}", server.port))
        .replace(
            "keamanan = \"starttls\"",
            &format!("keamanan = \"{keamanan}\""),
        )
        .replace(
            "pengguna = \"rawasariKelurahan@gmail.com\"",
            &format!("pengguna = \"{USER}\""),
        )
        .replace(
            "sertifikat_ca = \"\"",
            &format!("sertifikat_ca = \"{}\"", server.ca.display()),
        )
        .replace("batas_waktu_detik = 30", "batas_waktu_detik = 5");
    std::fs::write(&profile, text).unwrap();
    ws.baru("Siti Aminah");
    let p = issue(&ws, "1", &[]);
    let bulan = p["tanggal"].as_str().unwrap()[0..7].to_string();
    crate::report_month_over();
    (ws, bulan)
}

fn run(ws: &Ws, password: &str, args: &[&str]) -> std::process::Output {
    crate::bin()
        .arg("--dir")
        .arg(&ws.dir)
        .args(args)
        .env_remove("KELURAHAN_DIR")
        .env("KELURAHAN_SMTP_PASSWORD", password)
        .output()
        .unwrap()
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// Moves every queued message's due time to the past, as if the back-off had elapsed.
fn time_passes(ws: &Ws) {
    ws.db()
        .execute(
            "UPDATE surel SET berikutnya = '2000-01-01T00:00:00+07:00' WHERE status = 'antre'",
            [],
        )
        .unwrap();
}

fn outbox(ws: &Ws) -> Vec<Value> {
    ws.json(&["surel", "daftar"]).as_array().unwrap().clone()
}

#[test]
fn a_report_reaches_the_server_over_starttls_with_its_attachments_intact() {
    let tmp = tempfile::TempDir::new().unwrap();
    let server = Server::start(tmp.path(), "ok");
    let (ws, bulan) = workspace(&server, "starttls");
    let out = run(
        &ws,
        PASSWORD,
        &[
            "laporan", "bulanan", "--bulan", &bulan, "--kirim", "--format", "json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let made = json(&out);
    assert_eq!(made["surel"]["pengiriman"]["terkirim"], 1);
    let got = server.received();
    assert_eq!(got.len(), 1);
    let msg = mail_parser::MessageParser::default()
        .parse(&got[0])
        .unwrap();
    let subject = msg.subject().unwrap();
    assert!(
        subject.starts_with("Laporan Bulanan Pelayanan Kelurahan Rawasari — "),
        "{subject}"
    );
    let body = msg.body_text(0).unwrap();
    assert!(
        !body.contains(crate::NIK_P) && !subject.contains(crate::NIK_P),
        "no NIK in subject or body"
    );
    let files: Vec<PathBuf> = made["berkas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| PathBuf::from(b.as_str().unwrap()))
        .collect();
    let attachments: Vec<_> = msg.attachments().collect();
    assert_eq!(attachments.len(), 3);
    for (a, f) in attachments.iter().zip(&files) {
        assert_eq!(
            a.attachment_name().unwrap(),
            f.file_name().unwrap().to_str().unwrap()
        );
        assert_eq!(
            a.contents(),
            std::fs::read(f).unwrap().as_slice(),
            "{} changed on the way",
            f.display()
        );
    }
    assert_eq!(
        attachments[0].content_type().unwrap().subtype(),
        Some("pdf")
    );
    // Sent once: a second run sends nothing, queues nothing new.
    let again = run(
        &ws,
        PASSWORD,
        &[
            "laporan", "bulanan", "--bulan", &bulan, "--kirim", "--format", "json",
        ],
    );
    assert_eq!(json(&again)["surel"]["pengiriman"]["terkirim"], 0);
    assert_eq!(server.received().len(), 1);
    assert_eq!(outbox(&ws).len(), 1);
}

#[test]
fn transient_failures_are_retried_and_delivered_once() {
    for mode in ["451-once", "drop-once"] {
        let tmp = tempfile::TempDir::new().unwrap();
        let server = Server::start(tmp.path(), mode);
        let (ws, bulan) = workspace(&server, "starttls");
        let out = run(
            &ws,
            PASSWORD,
            &[
                "laporan", "bulanan", "--bulan", &bulan, "--kirim", "--format", "json",
            ],
        );
        assert!(
            out.status.success(),
            "{mode}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            json(&out)["surel"]["pengiriman"]["dicoba_lagi"],
            1,
            "{mode}: {}",
            json(&out)["surel"]
        );
        let m = &outbox(&ws)[0];
        assert_eq!(m["status"], "antre");
        assert!(
            m["galat"].as_str().unwrap().len() > 3,
            "{mode}: the error is recorded"
        );
        // Not due yet: nothing happens.
        let out = run(&ws, PASSWORD, &["kirim", "--format", "json"]);
        assert_eq!(json(&out)["terkirim"], 0);
        time_passes(&ws);
        let out = run(&ws, PASSWORD, &["kirim", "--format", "json"]);
        assert_eq!(json(&out)["terkirim"], 1, "{mode}");
        time_passes(&ws);
        run(&ws, PASSWORD, &["kirim"]);
        assert_eq!(server.received().len(), 1, "{mode}: delivered exactly once");
        assert_eq!(outbox(&ws)[0]["status"], "terkirim");
    }
}

#[test]
fn permanent_failures_stop_and_are_recorded() {
    for (mode, password, words) in [("550", PASSWORD, "5.7.1"), ("ok", "sandi-salah", "535")] {
        let tmp = tempfile::TempDir::new().unwrap();
        let server = Server::start(tmp.path(), mode);
        let (ws, bulan) = workspace(&server, "starttls");
        let out = run(
            &ws,
            password,
            &[
                "laporan", "bulanan", "--bulan", &bulan, "--kirim", "--format", "json",
            ],
        );
        assert_eq!(
            json(&out)["surel"]["pengiriman"]["gagal"],
            1,
            "{mode}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let m = &outbox(&ws)[0];
        assert_eq!(m["status"], "gagal");
        assert!(m["galat"].as_str().unwrap().contains(words), "{mode}: {m}");
        time_passes(&ws);
        let out = run(&ws, PASSWORD, &["kirim", "--format", "json"]);
        assert_eq!(
            json(&out)["terkirim"],
            0,
            "a permanent failure is not retried by itself"
        );
        assert!(server.received().is_empty());
        // Put back by hand (`surel ulang`), it goes once the cause is fixed.
        if mode == "ok" {
            ws.ok(&["surel", "ulang", &m["id"].to_string()]);
            let out = run(&ws, PASSWORD, &["kirim", "--format", "json"]);
            assert_eq!(json(&out)["terkirim"], 1);
            assert_eq!(server.received().len(), 1);
        }
    }
}

#[test]
fn a_message_left_by_a_killed_sender_is_sent_on_the_next_run_once() {
    let tmp = tempfile::TempDir::new().unwrap();
    let server = Server::start(tmp.path(), "ok");
    let (ws, bulan) = workspace(&server, "starttls");
    // Queue the report: the first attempt is refused (wrong password), which leaves it
    // in the outbox without reaching the server.
    let out = run(
        &ws,
        "sandi-salah",
        &["laporan", "bulanan", "--bulan", &bulan, "--kirim"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(server.received().is_empty());
    // Then a sender claims it and is killed mid-send: the state it leaves behind is a
    // claimed message whose lease has run out.
    ws.db()
        .execute(
            "UPDATE surel SET status = 'mengirim', klaim_sampai = '2000-01-01T00:00:00+07:00'",
            [],
        )
        .unwrap();
    let out = run(&ws, PASSWORD, &["kirim", "--format", "json"]);
    assert_eq!(json(&out)["terkirim"], 1);
    run(&ws, PASSWORD, &["kirim"]);
    assert_eq!(server.received().len(), 1);
}

#[test]
fn plaintext_auth_to_a_remote_host_is_refused_before_connecting() {
    let ws = Ws::init();
    let profile = ws.dir.join("kelurahan.toml");
    let text = std::fs::read_to_string(&profile)
        .unwrap()
        .replace("transport = \"file\"", "transport = \"smtp\"")
        .replace("host = \"smtp.gmail.com\"", "host = \"192.0.2.1\"")
        .replace("port = 587", "port = 25")
        .replace("keamanan = \"starttls\"", "keamanan = \"tanpa\"");
    std::fs::write(&profile, text).unwrap();
    let started = Instant::now();
    let out = run(&ws, PASSWORD, &["kirim"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tanpa enkripsi") && err.contains("192.0.2.1"),
        "{err}"
    );
    assert!(!err.contains(PASSWORD), "the password is never printed");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "refused before any connection attempt"
    );
}

#[test]
fn the_file_transport_writes_eml_and_too_large_mail_is_refused() {
    crate::during_report_month();
    let ws = Ws::init();
    ws.baru("Siti Aminah");
    let p = issue(&ws, "1", &[]);
    let bulan = p["tanggal"].as_str().unwrap()[0..7].to_string();
    crate::report_month_over();
    let made = ws.json(&["laporan", "bulanan", "--bulan", &bulan, "--kirim"]);
    assert_eq!(made["surel"]["pengiriman"]["terkirim"], 1);
    let eml: Vec<PathBuf> = std::fs::read_dir(ws.dir.join("output/outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(eml.len(), 1);
    let name = eml[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with(&format!("laporan-{bulan}.")) && name.ends_with(".eml"),
        "{name}"
    );
    let msg = mail_parser::MessageParser::default()
        .parse(&std::fs::read(&eml[0]).unwrap())
        .unwrap()
        .into_owned();
    assert_eq!(msg.attachments().count(), 3);
    assert_eq!(
        msg.to().unwrap().first().unwrap().address().unwrap(),
        "rawasariKelurahan@gmail.com"
    );

    // A limit below the attachments' size: refused before sending, with the reason.
    let ws2 = Ws::init();
    let profile = ws2.dir.join("kelurahan.toml");
    let text = std::fs::read_to_string(&profile)
        .unwrap()
        .replace("batas_mb = 20", "batas_mb = 0");
    std::fs::write(&profile, text).unwrap();
    crate::during_report_month();
    ws2.baru("Siti Aminah");
    issue(&ws2, "1", &[]);
    crate::report_month_over();
    let err = ws2.fails(1, &["laporan", "bulanan", "--bulan", &bulan, "--kirim"]);
    assert!(
        err.contains("surel terlalu besar") && err.contains("batas_mb"),
        "{err}"
    );
    assert_eq!(ws2.json(&["surel", "daftar"]), serde_json::json!([]));
}
