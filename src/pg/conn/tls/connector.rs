//! The driver's side of a TLS connection: tokio-postgres's `MakeTlsConnect` / `TlsConnect` /
//! `TlsStream` on an OpenSSL context of ours, the handshake through `tokio_openssl`.
//!
//! An `openssl::ssl::SslConnector` (what `postgres-openssl` is built on) always loads OpenSSL's
//! default trust store, parsing the whole system CA bundle for every connection even when a
//! root file replaces it; libpq loads it only for `sslrootcert=system`. This adapter takes the
//! context as libpq would build it, and a function that sets up each connection's `Ssl` (SNI,
//! the verify callback) before its handshake.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::ssl::{Ssl, SslContext, SslRef};
use openssl::x509::{X509Ref, X509VerifyResult};
use postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect};
use tokio::io::{AsyncRead, AsyncWrite, BufReader, ReadBuf};
use tokio_openssl::SslStream;

/// Sets up one connection's `Ssl` before its handshake.
type Configure = dyn Fn(&mut SslRef) -> Result<(), ErrorStack> + Send + Sync;

/// What the driver is given for a TLS connection: the shared context and the set-up of each
/// connection's `Ssl`. The host name the driver passes is not used: SNI and the host name
/// check are the set-up's business.
#[derive(Clone)]
pub struct Connector {
    context: SslContext,
    configure: Arc<Configure>,
}

impl Connector {
    pub fn new<F>(context: SslContext, configure: F) -> Connector
    where
        F: Fn(&mut SslRef) -> Result<(), ErrorStack> + Send + Sync + 'static,
    {
        Connector {
            context,
            configure: Arc::new(configure),
        }
    }

    /// A new `Ssl` of the context, set up for one connection.
    fn ssl(&self) -> Result<Ssl, ErrorStack> {
        let mut ssl = Ssl::new(&self.context)?;
        (self.configure)(&mut ssl)?;
        Ok(ssl)
    }
}

impl<S> MakeTlsConnect<S> for Connector
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = Stream<S>;
    type TlsConnect = Handshake;
    type Error = ErrorStack;

    fn make_tls_connect(&mut self, _driver_host: &str) -> Result<Handshake, ErrorStack> {
        self.ssl().map(Handshake)
    }
}

/// One connection's handshake, to be made over the socket the driver opened.
pub struct Handshake(Ssl);

/// The handshake's future (boxed: it is an `async` block).
type Handshaking<S> =
    Pin<Box<dyn Future<Output = Result<Stream<S>, Box<dyn Error + Send + Sync>>> + Send>>;

impl<S> TlsConnect<S> for Handshake
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Stream = Stream<S>;
    type Error = Box<dyn Error + Send + Sync>;
    type Future = Handshaking<S>;

    fn connect(self, socket: S) -> Handshaking<S> {
        // OpenSSL reads a record's header and then its body: buffered, that is one read of
        // the socket instead of two.
        let socket = BufReader::with_capacity(8192, socket);
        Box::pin(async move {
            let mut stream = SslStream::new(self.0, socket)?;
            match Pin::new(&mut stream).connect().await {
                Ok(()) => Ok(Stream(stream)),
                Err(error) => Err(Box::new(HandshakeError {
                    error,
                    verify_result: stream.ssl().verify_result(),
                }) as _),
            }
        })
    }
}

/// A failed handshake: OpenSSL's error, followed by the verification's result when the
/// certificate did not verify (`…: certificate has expired`); its source is OpenSSL's error.
#[derive(Debug)]
pub struct HandshakeError {
    error: openssl::ssl::Error,
    verify_result: X509VerifyResult,
}

impl fmt::Display for HandshakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error)?;
        if self.verify_result != X509VerifyResult::OK {
            write!(f, ": {}", self.verify_result)?;
        }
        Ok(())
    }
}

impl Error for HandshakeError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.error)
    }
}

/// A connection after its handshake.
pub struct Stream<S>(SslStream<BufReader<S>>);

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncRead for Stream<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> AsyncWrite for Stream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> postgres::tls::TlsStream for Stream<S> {
    /// SCRAM's `tls-server-end-point` binding, when the server's certificate allows one.
    fn channel_binding(&self) -> ChannelBinding {
        self.0
            .ssl()
            .peer_certificate()
            .and_then(|cert| server_end_point(&cert))
            .map_or_else(ChannelBinding::none, ChannelBinding::tls_server_end_point)
    }
}

/// The `tls-server-end-point` channel binding data of a server certificate (RFC 5929 §4.1):
/// its digest with the hash function of its signature, SHA-256 in place of MD5 and SHA-1.
/// None when the signature names no hash function of its own (Ed25519) or one OpenSSL does
/// not know, as libpq then has none either.
pub fn server_end_point(cert: &X509Ref) -> Option<Vec<u8>> {
    let signature = cert.signature_algorithm().object().nid();
    let hash = match signature.signature_algorithms()?.digest {
        Nid::MD5 | Nid::SHA1 => MessageDigest::sha256(),
        other => MessageDigest::from_nid(other)?,
    };
    cert.digest(hash).ok().map(|d| d.to_vec())
}
