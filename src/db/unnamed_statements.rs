//! Connections that send PostgreSQL no named (protocol-level) prepared statement:
//! `KSBFOLIO_DB_PREPARED_STATEMENTS=false`, for PgBouncer in transaction pooling mode.
//!
//! Why a rewriting layer: diesel-async runs every statement through tokio-postgres's `prepare`,
//! which *names* it (`s0`, `s1`, …) and sends `Parse`/`Describe`/`Sync` in a round trip of its own
//! before the `Bind`/`Execute`/`Sync` that runs it, and later a `Close`. Outside a transaction,
//! PgBouncer in transaction mode may hand each of those `Sync`-ended steps to a different server
//! connection, which has never seen `s5` ("prepared statement … does not exist"); PgBouncer up to
//! 1.20 (Debian 12 ships 1.18) does not track prepared statements at all. Turning diesel's
//! statement cache off (`CacheSize::Disabled`) does not help: the statement is still named and
//! still prepared in its own step.
//!
//! So this layer sits between tokio-postgres and the socket and rewrites the frontend messages:
//! a named `Parse` is sent as the unnamed statement (and remembered here), its `Describe` describes
//! the unnamed one, each `Bind` of it is preceded by a fresh unnamed `Parse` *in the same
//! `Sync`-ended step* (what libpq's `PQexecParams` sends, which PgBouncer's transaction mode keeps
//! on one server), and its `Close` closes the unnamed statement. The extra `ParseComplete` each
//! injected `Parse` earns is dropped from the replies before tokio-postgres reads them. diesel's
//! cache still saves describing a statement again; the server parses and plans each execution,
//! which is the price of pooling by transaction (docs/SCALING.md has the measurement).
//!
//! Everything else (the start-up, simple queries, `COPY`) passes through unchanged.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::{Buf, BufMut, Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Rewritten bytes kept before a write waits for the socket.
const HIGH_WATER: usize = 64 * 1024;

/// A stream to PostgreSQL whose named prepared statements are sent as unnamed ones.
pub struct UnnamedStatements<S> {
    inner: S,
    /// Written by tokio-postgres, not yet a whole message.
    incoming: BytesMut,
    /// Rewritten, not yet written to `inner`.
    outgoing: BytesMut,
    /// The start-up message (which has no type byte) has gone through.
    started: bool,
    /// Named statements: their `Parse` body after the name (the SQL and parameter types).
    statements: HashMap<Bytes, Bytes>,
    /// `Parse` messages injected into the step not yet ended by `Sync`.
    injected: u32,
    /// For each step sent and not yet answered by `ReadyForQuery`: `ParseComplete` replies to drop.
    steps: VecDeque<u32>,
    /// Read from `inner`, not yet a whole message.
    raw: BytesMut,
    /// Filtered replies for tokio-postgres.
    replies: BytesMut,
}

impl<S> UnnamedStatements<S> {
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            incoming: BytesMut::new(),
            outgoing: BytesMut::new(),
            started: false,
            statements: HashMap::new(),
            injected: 0,
            steps: VecDeque::new(),
            raw: BytesMut::new(),
            replies: BytesMut::new(),
        }
    }

    /// Rewrites every whole message in `incoming` into `outgoing`.
    fn rewrite(&mut self) -> io::Result<()> {
        loop {
            if !self.started {
                // StartupMessage: length (including itself), then the body; no type byte.
                let Some(length) = length_at(&self.incoming, 0) else {
                    return Ok(());
                };
                if self.incoming.len() < length {
                    return Ok(());
                }
                self.outgoing.put(self.incoming.split_to(length));
                self.started = true;
                continue;
            }
            let Some(length) = length_at(&self.incoming, 1) else {
                return Ok(());
            };
            if self.incoming.len() < 1 + length {
                return Ok(());
            }
            let message = self.incoming.split_to(1 + length).freeze();
            self.rewrite_message(message)?;
        }
    }

    fn rewrite_message(&mut self, message: Bytes) -> io::Result<()> {
        let tag = message[0];
        let body = message.slice(5..);
        match tag {
            b'P' => {
                let (name, rest) = c_string(&body)?;
                if name.is_empty() {
                    self.outgoing.put(message);
                } else {
                    let rest = body.slice_ref(rest);
                    put_message(&mut self.outgoing, b'P', &[b"\0", &rest]);
                    self.statements.insert(body.slice_ref(name), rest);
                }
            }
            b'D' | b'C' if body.first() == Some(&b'S') => {
                let (name, _) = c_string(&body[1..])?;
                let known = if tag == b'C' {
                    self.statements.remove(name).is_some()
                } else {
                    self.statements.contains_key(name)
                };
                if known {
                    put_message(&mut self.outgoing, tag, &[b"S\0"]);
                } else {
                    self.outgoing.put(message);
                }
            }
            b'B' => {
                let (portal, rest) = c_string(&body)?;
                let (name, rest) = c_string(rest)?;
                match self.statements.get(name) {
                    Some(parse) => {
                        put_message(&mut self.outgoing, b'P', &[b"\0", parse]);
                        put_message(&mut self.outgoing, b'B', &[portal, b"\0\0", rest]);
                        self.injected += 1;
                    }
                    None => self.outgoing.put(message),
                }
            }
            b'S' => {
                self.steps.push_back(std::mem::take(&mut self.injected));
                self.outgoing.put(message);
            }
            // A simple query and a function call end in ReadyForQuery too.
            b'Q' | b'F' => {
                self.steps.push_back(0);
                self.outgoing.put(message);
            }
            _ => self.outgoing.put(message),
        }
        Ok(())
    }

    /// Moves every whole reply in `raw` to `replies`, less the injected `ParseComplete`s.
    fn filter(&mut self) {
        while let Some(length) = length_at(&self.raw, 1) {
            if self.raw.len() < 1 + length {
                return;
            }
            let message = self.raw.split_to(1 + length);
            match message[0] {
                b'1' => {
                    if let Some(to_drop) = self.steps.front_mut()
                        && *to_drop > 0
                    {
                        *to_drop -= 1;
                        continue;
                    }
                }
                // A failed step skips to its Sync; whatever it still owed is not coming.
                b'Z' => {
                    self.steps.pop_front();
                }
                _ => {}
            }
            self.replies.put(message);
        }
    }
}

/// The big-endian length at `offset` (which counts itself), once its 4 bytes are there.
fn length_at(buffer: &[u8], offset: usize) -> Option<usize> {
    let bytes: [u8; 4] = buffer.get(offset..offset + 4)?.try_into().ok()?;
    Some(u32::from_be_bytes(bytes) as usize)
}

/// The NUL-terminated string at the start of `bytes` (without its NUL), and what follows it.
fn c_string(bytes: &[u8]) -> io::Result<(&[u8], &[u8])> {
    let end = bytes
        .iter()
        .position(|b| *b == 0)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "unterminated name"))?;
    Ok((&bytes[..end], &bytes[end + 1..]))
}

/// Appends a message of type `tag` whose body is `parts` in order.
fn put_message(out: &mut BytesMut, tag: u8, parts: &[&[u8]]) {
    let length: usize = 4 + parts.iter().map(|p| p.len()).sum::<usize>();
    out.put_u8(tag);
    out.put_u32(u32::try_from(length).unwrap_or(u32::MAX));
    for part in parts {
        out.put_slice(part);
    }
}

impl<S: AsyncWrite + Unpin> UnnamedStatements<S> {
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.outgoing.is_empty() {
            let written = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.outgoing))?;
            if written == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.outgoing.advance(written);
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for UnnamedStatements<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if !this.replies.is_empty() {
                let n = buf.remaining().min(this.replies.len());
                buf.put_slice(&this.replies.split_to(n));
                return Poll::Ready(Ok(()));
            }
            let mut chunk = [0u8; 16 * 1024];
            let mut read = ReadBuf::new(&mut chunk);
            ready!(Pin::new(&mut this.inner).poll_read(cx, &mut read))?;
            if read.filled().is_empty() {
                // The server closed the connection.
                return Poll::Ready(Ok(()));
            }
            this.raw.put_slice(read.filled());
            this.filter();
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for UnnamedStatements<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.outgoing.len() >= HIGH_WATER {
            ready!(this.poll_drain(cx))?;
        }
        this.incoming.put_slice(buf);
        this.rewrite()?;
        // Send what can go now; the rest goes on the next write or flush.
        if let Poll::Ready(Err(error)) = this.poll_drain(cx) {
            return Poll::Ready(Err(error));
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(tag: u8, parts: &[&[u8]]) -> Vec<u8> {
        let mut out = BytesMut::new();
        put_message(&mut out, tag, parts);
        out.to_vec()
    }

    /// The frontend bytes `input` becomes, after the start-up message.
    fn rewritten(input: &[u8]) -> (Vec<u8>, UnnamedStatements<()>) {
        let mut layer = UnnamedStatements::new(());
        layer.started = true;
        // Byte by byte: messages split anywhere must come out whole.
        for byte in input {
            layer.incoming.put_u8(*byte);
            layer.rewrite().expect("rewrite");
        }
        (layer.outgoing.to_vec(), layer)
    }

    #[test]
    fn a_named_statement_is_parsed_unnamed_again_in_the_step_of_each_bind() {
        let parse_body: &[u8] = b"SELECT $1\0\0\x01\0\0\0\x17";
        let bind_rest: &[u8] = b"\0\x01\0\x01\0\x01\0\0\0\x04\0\0\0\x07\0\x01\0\x01";
        let input = [
            message(b'P', &[b"s7\0", parse_body]),
            message(b'D', &[b"Ss7\0"]),
            message(b'S', &[]),
            message(b'B', &[b"\0s7\0", bind_rest]),
            message(b'E', &[b"\0\0\0\0\0"]),
            message(b'S', &[]),
            message(b'C', &[b"Ss7\0"]),
            message(b'S', &[]),
        ]
        .concat();
        let (out, layer) = rewritten(&input);
        let expected = [
            message(b'P', &[b"\0", parse_body]),
            message(b'D', &[b"S\0"]),
            message(b'S', &[]),
            message(b'P', &[b"\0", parse_body]),
            message(b'B', &[b"\0\0", bind_rest]),
            message(b'E', &[b"\0\0\0\0\0"]),
            message(b'S', &[]),
            message(b'C', &[b"S\0"]),
            message(b'S', &[]),
        ]
        .concat();
        assert_eq!(out, expected);
        assert!(!out.windows(2).any(|w| w == b"s7"), "the name never leaves");
        assert_eq!(Vec::from(layer.steps), vec![0, 1, 0]);
        assert!(
            layer.statements.is_empty(),
            "closed statements are forgotten"
        );
    }

    #[test]
    fn the_injected_parse_complete_is_dropped_and_nothing_else() {
        let mut layer = UnnamedStatements::new(());
        layer.steps = VecDeque::from(vec![0, 1, 0]);
        let ready = message(b'Z', &[b"I"]);
        let replies = [
            // The prepare: its own ParseComplete stays.
            message(b'1', &[]),
            message(b't', &[b"\0\x01\0\0\0\x17"]),
            ready.clone(),
            // The execution: the injected Parse's reply goes.
            message(b'1', &[]),
            message(b'2', &[]),
            message(b'C', &[b"SELECT 1\0"]),
            ready.clone(),
            message(b'3', &[]),
            ready.clone(),
        ]
        .concat();
        for byte in replies {
            layer.raw.put_u8(byte);
            layer.filter();
        }
        let expected = [
            message(b'1', &[]),
            message(b't', &[b"\0\x01\0\0\0\x17"]),
            ready.clone(),
            message(b'2', &[]),
            message(b'C', &[b"SELECT 1\0"]),
            ready.clone(),
            message(b'3', &[]),
            ready,
        ]
        .concat();
        assert_eq!(layer.replies.to_vec(), expected);
        assert!(layer.steps.is_empty());
    }

    #[test]
    fn a_failed_injected_parse_leaves_nothing_owed_for_later_steps() {
        let mut layer = UnnamedStatements::new(());
        layer.steps = VecDeque::from(vec![1, 0]);
        let replies = [
            message(b'E', &[b"SERROR\0\0"]),
            message(b'Z', &[b"I"]),
            message(b'1', &[]),
            message(b'Z', &[b"I"]),
        ]
        .concat();
        layer.raw.put_slice(&replies);
        layer.filter();
        assert_eq!(
            layer.replies.to_vec(),
            replies,
            "the next step's reply is kept"
        );
    }
}
