//! End to end in a real headless Chromium (playwright-core, tests/e2e/alur-sop.mjs):
//! each role logs in in turn and one request goes from the Operator's form to the
//! printed letter and the Lurah's stage; then every page a clerk uses is visited at phone
//! width (390 px) and at desktop width (1366 px): no page wider than the screen, no accept
//! button while papers are missing, a refusal's reason on screen, an error page with the
//! menu and the way back; the Operator's worklist is longer than a page (sixty older
//! requests wait), the register's search shows its first result on a phone's first
//! screen, dates and the file button read Indonesian in an English browser.
//! `KELURAHAN_SHOTS=/tmp/shots` keeps a picture of every page.
//! It needs Chromium and `npm ci --prefix tests/e2e`,
//! so a plain `cargo test` reports it as ignored; `.ci/run` installs both and runs it with
//! `cargo test -- --ignored browser`.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::Ws;

/// The web server, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `n` complete domicile requests from other residents, received over the last weeks
/// and waiting for the Operator: a worklist longer than one page.
fn waiting_requests(ws: &Ws, n: u32) {
    let today = kelurahan::domain::calendar::now(kelurahan::domain::calendar::WIB).date_naive();
    crate::many_requests_of(ws, n, "Warga Menunggu", crate::NIK_L, |i| {
        today - chrono::Duration::days(1 + (i % 20) as i64)
    });
}

#[test]
#[ignore = "butuh chromium dan `npm ci --prefix tests/e2e`; .ci/run menjalankannya"]
fn one_request_through_every_role_in_chromium() {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
    assert!(
        e2e.join("node_modules/playwright-core").exists(),
        "jalankan `npm ci --prefix tests/e2e` dulu"
    );
    let ws = Ws::init();
    {
        let mut reg = kelurahan::store::Register::open(
            &ws.dir.join("kelurahan.db"),
            kelurahan::domain::calendar::WIB,
        )
        .unwrap();
        let now = kelurahan::domain::calendar::now(kelurahan::domain::calendar::WIB);
        for (nama, peran, sandi) in [
            ("Rina Operator", "operator", "sandi-operator-1"),
            ("Bambang Kasi", "kasi", "sandi-kasi-0001"),
            ("Andi Koordinator", "koordinator", "sandi-koor-0001"),
            ("Sri Seklur", "seklur", "sandi-seklur-01"),
            ("Bu Lurah", "lurah", "sandi-lurah-001"),
            ("Pak Admin", "admin", "sandi-admin-0001"),
        ] {
            kelurahan::services::pengguna::tambah(
                &mut reg,
                nama,
                peran.parse().unwrap(),
                sandi,
                now,
            )
            .unwrap();
        }
    }
    waiting_requests(&ws, 60);
    let port = free_port();
    let _server = Server(
        crate::bin()
            .args(["--dir", ws.dir.to_str().unwrap(), "web", "--alamat"])
            .arg(format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "server tidak siap"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let pdf = ws.dir.join("surat-dari-peramban.pdf");
    let out = Command::new("node")
        .arg(e2e.join("alur-sop.mjs"))
        .arg(format!("http://127.0.0.1:{port}"))
        .arg(&pdf)
        .current_dir(&e2e)
        .output()
        .expect("node");
    assert!(
        out.status.success(),
        "alur di peramban gagal:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let done: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let nomor = done["nomor"].as_str().unwrap();

    // The letter came out of the browser, and says what it should.
    let text = crate::letters::pdf_text(&pdf);
    assert!(
        text.contains("SITI AMINAH") || text.contains("Siti Aminah"),
        "{text}"
    );
    let v = ws.json(&["permohonan", "lihat", nomor]);
    assert!(
        text.contains(v["surat"]["nomor"].as_str().unwrap()),
        "{text}"
    );

    // Every step under the name of the person who was logged in.
    assert_eq!(v["tahap"], "dilaporkan_ke_lurah");
    let steps: Vec<(String, String)> = v["riwayat"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ke"].as_str().unwrap().to_string(),
                r["oleh"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("diajukan", "Siti Aminah"),
        ("diterima", "Rina Operator"),
        ("diteruskan", "Bambang Kasi"),
        ("ditindaklanjuti", "Andi Koordinator"),
        ("dilaporkan_ke_seklur", "Andi Koordinator"),
        ("dilaporkan_ke_lurah", "Sri Seklur"),
    ];
    assert_eq!(
        steps,
        want.map(|(a, b)| (a.to_string(), b.to_string())).to_vec()
    );
    assert!(
        v["riwayat"][0]["catatan"]
            .as_str()
            .unwrap()
            .contains("Rina Operator")
    );
}
