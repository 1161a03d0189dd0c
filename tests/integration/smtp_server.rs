//! A real SMTP server (RFC 5321 subset) for the mail tests, run inside the test binary on
//! 127.0.0.1: STARTTLS before anything else, then AUTH PLAIN/LOGIN before MAIL.
//!
//! It answers as the aiosmtpd server it replaces did, so the tests see the same replies;
//! `Mode` adds the failures the tests provoke. Each accepted message is written to
//! `inbox/<n>.eml`, byte for byte as received after dot-unstuffing.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

const HOSTNAME: &str = "localhost";
const SIZE_LIMIT: usize = 33_554_432;
/// RFC 4954 lets AUTH lines reach 12288 octets; no other command comes near.
const COMMAND_LINE_LIMIT: usize = 12_288;
/// 998 octets and CRLF (RFC 5321 4.5.3.1.6), plus the dot a client may have stuffed.
const DATA_LINE_LIMIT: usize = 1001;

pub struct Config<'a> {
    pub cert_pem: &'a str,
    pub key_pem: &'a str,
    pub inbox: &'a Path,
    /// `ok` | `451-once` | `550` | `drop-once`
    pub mode: &'a str,
    pub user: &'a str,
    pub password: &'a str,
}

/// What the server does with a complete message.
enum Mode {
    Ok,
    /// The first DATA is answered 451, as a busy server would.
    Busy451Once,
    /// Every DATA is refused for good.
    Refuse550,
    /// The first DATA is never answered: the connection is cut.
    DropOnce,
}

/// Stops listening and cuts every open connection when dropped.
pub struct SmtpServer {
    port: u16,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl SmtpServer {
    /// Listening once this returns, so a client may connect straight away.
    pub fn start(config: Config) -> SmtpServer {
        let mode = match config.mode {
            "ok" => Mode::Ok,
            "451-once" => Mode::Busy451Once,
            "550" => Mode::Refuse550,
            "drop-once" => Mode::DropOnce,
            other => panic!("unknown SMTP server mode {other:?}"),
        };
        let certs = CertificateDer::pem_slice_iter(config.cert_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .expect("server certificate PEM");
        let key = PrivateKeyDer::from_pem_slice(config.key_pem.as_bytes()).expect("server key PEM");
        // ring, the provider lettre already builds, so the tests add no crypto library.
        let tls =
            ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(certs, key)
                .expect("server certificate and key");
        let shared = Arc::new(Shared {
            tls: Arc::new(tls),
            inbox: config.inbox.to_path_buf(),
            mode,
            user: config.user.as_bytes().to_vec(),
            password: config.password.as_bytes().to_vec(),
            data_commands: Mutex::new(0),
        });
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let stop = Arc::clone(&stop);
            thread::Builder::new()
                .name("smtp-accept".into())
                .spawn(move || accept(listener, shared, stop))
                .unwrap()
        };
        SmtpServer {
            port,
            stop,
            acceptor: Some(acceptor),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // accept() has no timeout: a connection of our own wakes it to see the flag.
        if TcpStream::connect(("127.0.0.1", self.port)).is_ok()
            && let Some(acceptor) = self.acceptor.take()
        {
            let _ = acceptor.join();
        }
    }
}

fn accept(listener: TcpListener, shared: Arc<Shared>, stop: Arc<AtomicBool>) {
    let mut connections: Vec<(TcpStream, JoinHandle<()>)> = Vec::new();
    for tcp in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(tcp) = tcp else { continue };
        let Ok(handle) = tcp.try_clone() else {
            continue;
        };
        connections.retain(|(_, thread)| !thread.is_finished());
        let shared = Arc::clone(&shared);
        let thread = thread::Builder::new()
            .name("smtp-session".into())
            // A client that goes away mid-command ends its session; nothing to report.
            .spawn(move || {
                let _ = serve(tcp, &shared);
            })
            .unwrap();
        connections.push((handle, thread));
    }
    // A session blocked reading from a client that is still connected would never end
    // by itself.
    for (tcp, thread) in connections {
        let _ = tcp.shutdown(Shutdown::Both);
        let _ = thread.join();
    }
}

struct Shared {
    tls: Arc<ServerConfig>,
    inbox: PathBuf,
    mode: Mode,
    user: Vec<u8>,
    password: Vec<u8>,
    /// DATA commands over all connections: the modes are about the server's first one.
    /// Held while a message is written, so concurrent sessions never share a number.
    data_commands: Mutex<u32>,
}

impl Shared {
    /// The reply to a complete message, or None to cut the connection instead.
    fn deliver(&self, message: &[u8]) -> io::Result<Option<&'static str>> {
        let mut count = self.data_commands.lock().unwrap();
        *count += 1;
        match self.mode {
            Mode::Busy451Once if *count == 1 => {
                return Ok(Some("451 4.3.0 Server sibuk, coba lagi nanti"));
            }
            Mode::Refuse550 => return Ok(Some("550 5.7.1 Pesan ditolak oleh kebijakan server")),
            Mode::DropOnce if *count == 1 => return Ok(None),
            _ => {}
        }
        let n = std::fs::read_dir(&self.inbox)?
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "eml"))
            })
            .count()
            + 1;
        // Tests read the inbox while senders run: they must never see half a message.
        let path = self.inbox.join(format!("{n}.eml"));
        let tmp = self.inbox.join(format!("{n}.eml.tmp"));
        std::fs::write(&tmp, message)?;
        std::fs::rename(&tmp, &path)?;
        Ok(Some("250 2.0.0 Diterima"))
    }
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ServerConnection, TcpStream>>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(tcp) => tcp,
            Stream::Tls(tls) => &tls.sock,
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.read(buf),
            Stream::Tls(tls) => tls.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.write(buf),
            Stream::Tls(tls) => tls.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(tcp) => tcp.flush(),
            Stream::Tls(tls) => tls.flush(),
        }
    }
}

type Io = BufReader<Stream>;

fn reply(io: &mut Io, text: &str) -> io::Result<()> {
    let stream = io.get_mut();
    stream.write_all(format!("{text}\r\n").as_bytes())?;
    stream.flush()
}

enum Line {
    /// Up to and including its LF.
    Text(Vec<u8>),
    /// Longer than the limit; read to its end and dropped.
    TooLong,
    Closed,
}

fn read_line(io: &mut Io, limit: usize) -> io::Result<Line> {
    let mut line = Vec::new();
    io.by_ref()
        .take(limit as u64)
        .read_until(b'\n', &mut line)?;
    if line.ends_with(b"\n") {
        return Ok(Line::Text(line));
    }
    if line.len() < limit {
        return Ok(Line::Closed);
    }
    loop {
        let buf = io.fill_buf()?;
        if buf.is_empty() {
            return Ok(Line::Closed);
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                io.consume(i + 1);
                return Ok(Line::TooLong);
            }
            None => {
                let n = buf.len();
                io.consume(n);
            }
        }
    }
}

enum After {
    Continue,
    StartTls,
    Close,
}

fn serve(tcp: TcpStream, shared: &Shared) -> io::Result<()> {
    let mut session = Session::new(shared);
    let mut io = BufReader::new(Stream::Plain(tcp));
    reply(&mut io, &format!("220 {HOSTNAME} ESMTP kelurahan uji"))?;
    loop {
        let line = match read_line(&mut io, COMMAND_LINE_LIMIT)? {
            Line::Text(line) => line,
            Line::TooLong => {
                reply(&mut io, "500 Command line too long")?;
                continue;
            }
            Line::Closed => return Ok(()),
        };
        match session.command(&mut io, &line)? {
            After::Continue => {}
            After::Close => return Ok(()),
            After::StartTls => {
                // Dropping the reader drops whatever the client pipelined behind
                // STARTTLS: it came in clear text and must not pass for TLS input
                // (RFC 3207 section 5).
                let Stream::Plain(mut tcp) = io.into_inner() else {
                    unreachable!("STARTTLS is refused once TLS is on")
                };
                let mut conn =
                    ServerConnection::new(Arc::clone(&shared.tls)).map_err(io::Error::other)?;
                while conn.is_handshaking() {
                    conn.complete_io(&mut tcp)?;
                }
                io = BufReader::new(Stream::Tls(Box::new(StreamOwned::new(conn, tcp))));
                session = Session {
                    tls: true,
                    ..Session::new(shared)
                };
            }
        }
    }
}

/// One connection's state. STARTTLS starts a new one (RFC 3207 4.2).
struct Session<'a> {
    shared: &'a Shared,
    tls: bool,
    /// Set by HELO or EHLO; true for EHLO.
    hello: Option<bool>,
    authenticated: bool,
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
}

impl<'a> Session<'a> {
    fn new(shared: &'a Shared) -> Session<'a> {
        Session {
            shared,
            tls: false,
            hello: None,
            authenticated: false,
            mail_from: None,
            rcpt_to: Vec::new(),
        }
    }

    fn reset(&mut self) {
        self.mail_from = None;
        self.rcpt_to.clear();
    }

    fn command(&mut self, io: &mut Io, line: &[u8]) -> io::Result<After> {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let (verb, arg) = match line.iter().position(|&b| b == b' ') {
            Some(i) => (&line[..i], &line[i + 1..]),
            None => (line, &b""[..]),
        };
        if verb.is_empty() || !verb.is_ascii() {
            reply(io, "500 Error: bad syntax")?;
            return Ok(After::Continue);
        }
        let verb = String::from_utf8_lossy(verb).to_ascii_uppercase();
        let arg = String::from_utf8_lossy(arg);
        let arg = arg.trim();
        if !self.tls && !matches!(verb.as_str(), "NOOP" | "EHLO" | "STARTTLS" | "QUIT") {
            reply(io, "530 Must issue a STARTTLS command first")?;
            return Ok(After::Continue);
        }
        let answer = match verb.as_str() {
            "EHLO" | "HELO" => self.hello(&verb, arg),
            "STARTTLS" if !arg.is_empty() => "501 Syntax: STARTTLS".into(),
            "STARTTLS" if self.tls => "503 5.5.1 TLS already active".into(),
            "STARTTLS" => {
                reply(io, "220 Ready to start TLS")?;
                return Ok(After::StartTls);
            }
            "AUTH" => match self.auth(io, arg)? {
                Some(answer) => answer,
                None => return Ok(After::Continue),
            },
            "MAIL" => self.mail(arg),
            "RCPT" => self.rcpt(arg),
            "DATA" => return self.data(io, arg),
            "RSET" if !arg.is_empty() => "501 Syntax: RSET".into(),
            "RSET" => {
                self.reset();
                "250 OK".into()
            }
            "NOOP" => "250 OK".into(),
            "QUIT" if !arg.is_empty() => "501 Syntax: QUIT".into(),
            "QUIT" => {
                reply(io, "221 Bye")?;
                if let Stream::Tls(tls) = io.get_mut() {
                    tls.conn.send_close_notify();
                    tls.flush()?;
                }
                return Ok(After::Close);
            }
            _ => format!("500 Error: command \"{verb}\" not recognized"),
        };
        reply(io, &answer)?;
        Ok(After::Continue)
    }

    fn hello(&mut self, verb: &str, host: &str) -> String {
        if host.is_empty() {
            return format!("501 Syntax: {verb} hostname");
        }
        self.reset();
        let extended = verb == "EHLO";
        self.hello = Some(extended);
        if !extended {
            return format!("250 {HOSTNAME}");
        }
        let mut lines = vec![
            HOSTNAME.to_string(),
            format!("SIZE {SIZE_LIMIT}"),
            "8BITMIME".into(),
            "SMTPUTF8".into(),
        ];
        // AUTH is offered only once the password would travel encrypted.
        let last = if self.tls {
            "AUTH LOGIN PLAIN"
        } else {
            "STARTTLS"
        };
        lines.push(last.into());
        let last = lines.len() - 1;
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| format!("250{}{l}", if i == last { ' ' } else { '-' }))
            .collect::<Vec<_>>()
            .join("\r\n")
    }

    /// The refusal owed before a mail transaction command, if any.
    fn not_ready(&self) -> Option<String> {
        if self.hello.is_none() {
            Some("503 Error: send HELO first".into())
        } else if !self.authenticated {
            Some("530 5.7.0 Authentication required".into())
        } else {
            None
        }
    }

    /// None when the exchange already sent its final reply.
    fn auth(&mut self, io: &mut Io, arg: &str) -> io::Result<Option<String>> {
        let refusal = match self.hello {
            None => Some("503 Error: send EHLO first"),
            Some(false) => Some("500 Error: command 'AUTH' not recognized"),
            Some(true) if self.authenticated => Some("503 Already authenticated"),
            Some(true) if arg.is_empty() => Some("501 Not enough value"),
            Some(true) => None,
        };
        if let Some(refusal) = refusal {
            return Ok(Some(refusal.into()));
        }
        let args: Vec<&str> = arg.split_whitespace().collect();
        if args.len() > 2 {
            return Ok(Some("501 Too many values".into()));
        }
        let initial = args.get(1).copied();
        let (login, password) = match args[0].to_ascii_uppercase().as_str() {
            "PLAIN" => {
                let Some(value) = self.response(io, initial, "")? else {
                    return Ok(None);
                };
                // authzid NUL authcid NUL passwd (RFC 4616); the authzid is not used.
                let parts: Vec<&[u8]> = value.split(|&b| b == 0).collect();
                let [_, login, password] = parts[..] else {
                    return Ok(Some("501 5.5.2 Can't split auth value".into()));
                };
                (login.to_vec(), password.to_vec())
            }
            "LOGIN" => {
                let Some(login) = self.response(io, initial, "Username:")? else {
                    return Ok(None);
                };
                let Some(password) = self.response(io, None, "Password:")? else {
                    return Ok(None);
                };
                (login, password)
            }
            _ => return Ok(Some("504 5.5.4 Unrecognized authentication type".into())),
        };
        Ok(Some(
            if login == self.shared.user && password == self.shared.password {
                self.authenticated = true;
                "235 2.7.0 Authentication successful"
            } else {
                "535 5.7.8 Authentication credentials invalid"
            }
            .into(),
        ))
    }

    /// The client's decoded answer to `challenge`, or its initial response if it gave
    /// one; None after refusing it.
    fn response(
        &self,
        io: &mut Io,
        initial: Option<&str>,
        challenge: &str,
    ) -> io::Result<Option<Vec<u8>>> {
        let text = match initial {
            Some(text) => text.as_bytes().to_vec(),
            None => {
                reply(io, &format!("334 {}", BASE64.encode(challenge)))?;
                match read_line(io, COMMAND_LINE_LIMIT)? {
                    Line::Text(line) => line.trim_ascii().to_vec(),
                    Line::TooLong => {
                        reply(io, "500 Command line too long")?;
                        return Ok(None);
                    }
                    Line::Closed => return Err(io::ErrorKind::UnexpectedEof.into()),
                }
            }
        };
        if initial.is_none() && text == b"*" {
            reply(io, "501 5.7.0 Auth aborted")?;
            return Ok(None);
        }
        // RFC 4954: "=" is an initial response that is empty.
        if initial.is_some() && text == b"=" {
            return Ok(Some(Vec::new()));
        }
        match BASE64.decode(&text) {
            Ok(value) => Ok(Some(value)),
            Err(_) => {
                reply(io, "501 5.5.2 Can't decode base64")?;
                Ok(None)
            }
        }
    }

    fn mail(&mut self, arg: &str) -> String {
        if let Some(refusal) = self.not_ready() {
            return refusal;
        }
        let syntax = "501 Syntax: MAIL FROM: <address> [SP <mail-parameters>]";
        let Some((address, params)) = path(arg, "FROM:") else {
            return syntax.into();
        };
        let Some(address) = address else {
            return "553 5.1.3 Error: malformed address".into();
        };
        if address.is_empty() {
            return syntax.into();
        }
        if self.mail_from.is_some() {
            return "503 Error: nested MAIL command".into();
        }
        for param in params.to_ascii_uppercase().split_whitespace() {
            let (key, value) = match param.split_once('=') {
                Some((key, value)) => (key, Some(value)),
                None => (param, None),
            };
            match (key, value) {
                ("BODY", Some("7BIT" | "8BITMIME")) | ("SMTPUTF8", None) => {}
                ("BODY", _) => return "501 Error: BODY can only be one of 7BIT, 8BITMIME".into(),
                ("SMTPUTF8", _) => return "501 Error: SMTPUTF8 takes no arguments".into(),
                ("SIZE", Some(size)) => match size.parse::<usize>() {
                    Ok(size) if size > SIZE_LIMIT => {
                        return "552 Error: message size exceeds fixed maximum message size".into();
                    }
                    Ok(_) => {}
                    Err(_) => return syntax.into(),
                },
                _ => return "555 MAIL FROM parameters not recognized or not implemented".into(),
            }
        }
        self.mail_from = Some(address.to_string());
        "250 OK".into()
    }

    fn rcpt(&mut self, arg: &str) -> String {
        if let Some(refusal) = self.not_ready() {
            return refusal;
        }
        if self.mail_from.is_none() {
            return "503 Error: need MAIL command".into();
        }
        let syntax = "501 Syntax: RCPT TO: <address> [SP <mail-parameters>]";
        let Some((address, params)) = path(arg, "TO:") else {
            return syntax.into();
        };
        let Some(address) = address else {
            return "553 5.1.3 Error: malformed address".into();
        };
        if address.is_empty() {
            return syntax.into();
        }
        if !params.is_empty() {
            return "555 RCPT TO parameters not recognized or not implemented".into();
        }
        self.rcpt_to.push(address.to_string());
        "250 OK".into()
    }

    fn data(&mut self, io: &mut Io, arg: &str) -> io::Result<After> {
        let refusal = self.not_ready().or_else(|| {
            if self.rcpt_to.is_empty() {
                Some("503 Error: need RCPT command".into())
            } else if !arg.is_empty() {
                Some("501 Syntax: DATA".into())
            } else {
                None
            }
        });
        if let Some(refusal) = refusal {
            reply(io, &refusal)?;
            return Ok(After::Continue);
        }
        reply(io, "354 End data with <CR><LF>.<CR><LF>")?;
        let mut message = Vec::new();
        // Like aiosmtpd, the data is read to its end before the first fault is answered
        // (RFC 5321 4.2.5), so the client is still in step.
        let mut fault = None;
        // Lines are CRLF-terminated: only CRLF . CRLF ends the data and only a dot after
        // CRLF is unstuffed. A dot after a bare LF is content, which keeps one message
        // from being read as two (SMTP smuggling).
        let mut after_crlf = true;
        loop {
            let line = match read_line(io, DATA_LINE_LIMIT)? {
                Line::Text(line) => line,
                Line::TooLong => {
                    fault.get_or_insert("500 Line too long (see RFC5321 4.5.3.1.6)");
                    after_crlf = true;
                    continue;
                }
                Line::Closed => return Ok(After::Close),
            };
            if after_crlf && line == b".\r\n" {
                break;
            }
            let content = match line.strip_prefix(b".") {
                Some(rest) if after_crlf => rest,
                _ => &line[..],
            };
            if message.len() + content.len() > SIZE_LIMIT {
                fault.get_or_insert("552 Error: Too much mail data");
            }
            if fault.is_none() {
                message.extend_from_slice(content);
            }
            after_crlf = line.ends_with(b"\r\n");
        }
        self.reset();
        let answer = match fault {
            Some(fault) => fault,
            None => match self.shared.deliver(&message)? {
                Some(answer) => answer,
                None => {
                    let _ = io.get_ref().tcp().shutdown(Shutdown::Both);
                    return Ok(After::Close);
                }
            },
        };
        reply(io, answer)?;
        Ok(After::Continue)
    }
}

/// Splits `FROM:<a@b> PARAMS` into the address and the parameters; None if `keyword` is
/// missing, `Some((None, _))` if the address is malformed.
fn path<'l>(arg: &'l str, keyword: &str) -> Option<(Option<&'l str>, &'l str)> {
    let head = arg.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg[keyword.len()..].trim_start();
    if rest.is_empty() {
        return Some((Some(""), ""));
    }
    if let Some(inner) = rest.strip_prefix('<') {
        return Some(match inner.split_once('>') {
            Some((address, params)) if !address.contains(['<', ' ']) => {
                (Some(address), params.trim())
            }
            _ => (None, ""),
        });
    }
    let (address, params) = rest.split_once(' ').unwrap_or((rest, ""));
    Some((Some(address), params.trim()))
}
