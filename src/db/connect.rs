//! Opening a connection whose statements go through [`UnnamedStatements`]
//! (`KSBFOLIO_DB_PREPARED_STATEMENTS=false`).
//!
//! tokio-postgres connects through a stream it is given only with `connect_raw`, which leaves
//! the socket to the caller: this opens it as `Config::connect` would (each host in turn, the
//! connect timeout, TCP keepalives and `tcp_user_timeout`, so the deadlines of `db::mod` hold the
//! same in both modes). TLS is not offered (as with `AsyncPgConnection::establish`).

use std::time::Duration;

use diesel::ConnectionError;
use diesel_async::AsyncPgConnection;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_postgres::config::Host;

use super::unnamed_statements::UnnamedStatements;

trait Transport: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Transport for T {}

fn bad(message: impl std::fmt::Display) -> ConnectionError {
    ConnectionError::BadConnection(message.to_string())
}

/// A connection to `url` that sends the server no named prepared statement.
pub async fn establish_unprepared(url: &str) -> Result<AsyncPgConnection, ConnectionError> {
    let config: tokio_postgres::Config = url.parse().map_err(bad)?;
    let hosts = config.get_hosts();
    if hosts.is_empty() {
        return Err(bad("the database URL names no host"));
    }
    let ports = config.get_ports();
    let timeout = config
        .get_connect_timeout()
        .copied()
        .unwrap_or(Duration::from_secs(3600));
    let mut last_error = String::new();
    for (index, host) in hosts.iter().enumerate() {
        let port = ports
            .get(index)
            .or_else(|| ports.first())
            .copied()
            .unwrap_or(5432);
        let attempt = async {
            let stream = open(&config, host, port).await.map_err(bad)?;
            config
                .connect_raw(UnnamedStatements::new(stream), tokio_postgres::NoTls)
                .await
                .map_err(bad)
        };
        match tokio::time::timeout(timeout, attempt).await {
            Ok(Ok((client, connection))) => {
                tokio::spawn(async move {
                    if let Err(error) = connection.await {
                        tracing::warn!(%error, "database connection ended");
                    }
                });
                return AsyncPgConnection::try_from(client).await;
            }
            Ok(Err(error)) => last_error = error.to_string(),
            Err(_) => last_error = format!("no connection within {} s", timeout.as_secs()),
        }
    }
    Err(bad(last_error))
}

async fn open(
    config: &tokio_postgres::Config,
    host: &Host,
    port: u16,
) -> std::io::Result<Box<dyn Transport>> {
    match host {
        Host::Tcp(name) => {
            let stream = tokio::net::TcpStream::connect((name.as_str(), port)).await?;
            stream.set_nodelay(true)?;
            let socket = socket2::SockRef::from(&stream);
            if config.get_keepalives() {
                let mut keepalive =
                    socket2::TcpKeepalive::new().with_time(config.get_keepalives_idle());
                if let Some(interval) = config.get_keepalives_interval() {
                    keepalive = keepalive.with_interval(interval);
                }
                if let Some(retries) = config.get_keepalives_retries() {
                    keepalive = keepalive.with_retries(retries);
                }
                socket.set_tcp_keepalive(&keepalive)?;
            }
            if let Some(timeout) = config.get_tcp_user_timeout() {
                socket.set_tcp_user_timeout(Some(*timeout))?;
            }
            Ok(Box::new(stream))
        }
        Host::Unix(dir) => {
            let path = dir.join(format!(".s.PGSQL.{port}"));
            Ok(Box::new(tokio::net::UnixStream::connect(path).await?))
        }
    }
}
