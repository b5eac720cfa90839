//! Attachment files behind one interface on the `object_store` crate: the local filesystem under
//! the data folder by default, or S3-compatible object storage by configuration.
//!
//! Uploads arrive in a private spool file ([`spool`]) and are handed over whole: renamed into
//! place on the local store (same filesystem, so no copy), streamed in parts to S3. Downloads
//! stream too. [`sweep`] removes what a crash mid-upload can leave behind.

use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{BackoffConfig, ClientConfigKey, RetryConfig};
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use tokio::io::AsyncReadExt;

pub mod spool;
pub mod sweep;

/// The name `object_store` gives its local filesystem store in errors.
const LOCAL_STORE: &str = "LocalFileSystem";

/// How long a remote store gets to accept a connection, and how long its client keeps retrying
/// a failed request: a store that is down answers a 503 within seconds, not minutes.
const CONNECT_TIMEOUT: &str = "5 seconds";
const RETRIES: usize = 3;
const RETRY_FOR: std::time::Duration = std::time::Duration::from_secs(15);

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("storage: {0}")]
    Store(#[from] object_store::Error),
    #[error("storage: {0}")]
    Io(#[from] std::io::Error),
}

/// Where attachment bytes live.
#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// The local store's folder, where spooled files are renamed into place.
    local: Option<Arc<LocalFileSystem>>,
    description: String,
}

impl StorageError {
    /// Whether a remote object store could not be reached or failed (after the client's
    /// retries): the file store is unavailable for now, not broken.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Self::Store(object_store::Error::Generic { store, .. }) if *store != LOCAL_STORE)
    }

    /// Whether the disk (or the store behind it) is full.
    pub fn is_full(&self) -> bool {
        match self {
            Self::Io(e) => spool::is_disk_full(e),
            Self::Store(object_store::Error::Generic { source, .. }) => source
                .downcast_ref::<std::io::Error>()
                .is_some_and(spool::is_disk_full),
            Self::Store(_) => false,
        }
    }
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.description)
    }
}

impl Storage {
    /// Files under `dir` (created if missing).
    pub fn local(dir: &Path) -> Result<Self, StorageError> {
        std::fs::create_dir_all(dir)?;
        let store = Arc::new(LocalFileSystem::new_with_prefix(dir)?);
        Ok(Self {
            store: store.clone(),
            local: Some(store),
            description: format!("local files in {}", dir.display()),
        })
    }

    /// An S3 bucket; credentials, region and endpoint (for S3-compatible services) come from the
    /// standard `AWS_*` environment variables. Large files go up in 8 MiB parts
    /// ([`Self::put_file`]); an unreachable store fails within [`RETRY_FOR`].
    pub fn s3(bucket: &str) -> Result<Self, StorageError> {
        let store = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .with_config(
                AmazonS3ConfigKey::Client(ClientConfigKey::ConnectTimeout),
                CONNECT_TIMEOUT,
            )
            .with_retry(RetryConfig {
                backoff: BackoffConfig::default(),
                max_retries: RETRIES,
                retry_timeout: RETRY_FOR,
            })
            .build()?;
        Ok(Self {
            store: Arc::new(store),
            local: None,
            description: format!("S3 bucket {bucket}"),
        })
    }

    /// From the `KSBFOLIO_STORAGE` setting: `local` (default) or `s3://BUCKET`.
    pub fn from_setting(setting: &str, data_dir: &Path) -> Result<Self, StorageError> {
        match setting.strip_prefix("s3://") {
            Some(bucket) => Self::s3(bucket.trim_end_matches('/')),
            None => Self::local(&data_dir.join("attachments")),
        }
    }

    /// Where the local store keeps `key`'s file; `None` for object storage (and for a key the
    /// local store cannot map).
    pub fn local_file(&self, key: &str) -> Option<std::path::PathBuf> {
        let store = self.local.as_ref()?;
        store.path_to_filesystem(&ObjectPath::from(key)).ok()
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), StorageError> {
        self.store
            .put(&ObjectPath::from(key), PutPayload::from_bytes(bytes))
            .await?;
        Ok(())
    }

    /// Stores a finished spool file under `key`, consuming it: a rename on the local store,
    /// a multipart upload read from the file in 8 MiB parts elsewhere.
    pub async fn put_file(&self, key: &str, file: spool::Spooled) -> Result<(), StorageError> {
        let location = ObjectPath::from(key);
        if let Some(store) = &self.local {
            let target = store.path_to_filesystem(&location)?;
            if let Some(parent) = target.parent() {
                tokio::fs::create_dir_all(parent).await?;
            }
            match tokio::fs::rename(file.path(), &target).await {
                Ok(()) => {
                    file.disarm();
                    return Ok(());
                }
                // Another filesystem after all: copy through the store below.
                Err(e) if e.raw_os_error() == Some(nix::libc::EXDEV) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let mut reader = tokio::fs::File::open(file.path()).await?;
        let mut upload = WriteMultipart::new_with_chunk_size(
            self.store.put_multipart(&location).await?,
            8 * 1024 * 1024,
        );
        let mut buffer = vec![0u8; 1024 * 1024];
        loop {
            let read = match reader.read(&mut buffer).await {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    let _ = upload.abort().await;
                    return Err(e.into());
                }
            };
            if let Err(e) = upload.wait_for_capacity(2).await {
                // Leave no half-made upload behind on the store.
                let _ = upload.abort().await;
                return Err(e.into());
            }
            upload.write(&buffer[..read]);
        }
        upload.finish().await?;
        Ok(())
    }

    /// The object's size and a stream of its bytes.
    pub async fn get_stream(
        &self,
        key: &str,
    ) -> Result<(u64, BoxStream<'static, Result<Bytes, StorageError>>), StorageError> {
        let result = self.store.get(&ObjectPath::from(key)).await?;
        let size = result.meta.size;
        Ok((
            size,
            result
                .into_stream()
                .map(|r| r.map_err(StorageError::from))
                .boxed(),
        ))
    }

    pub async fn get(&self, key: &str) -> Result<Bytes, StorageError> {
        Ok(self
            .store
            .get(&ObjectPath::from(key))
            .await?
            .bytes()
            .await?)
    }

    /// Keys under `prefix` last modified before `before`.
    pub async fn keys_older_than(
        &self,
        prefix: &str,
        before: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<String>, StorageError> {
        let prefix = ObjectPath::from(prefix);
        let mut listing = self.store.list(Some(&prefix));
        let mut keys = Vec::new();
        while let Some(meta) = listing.next().await {
            let meta = meta?;
            if meta.last_modified < before {
                keys.push(meta.location.to_string());
            }
        }
        Ok(keys)
    }

    /// Removes an object; a missing one is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self.store.delete(&ObjectPath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
