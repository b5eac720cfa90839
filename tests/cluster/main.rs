//! Tests of the multi-node topology that `scripts/cluster.sh up` starts on 127.0.0.1 (HAProxy, two
//! `ksbfolio serve` nodes, PgBouncer, a primary and a streaming standby, an S3-protocol server).
//! They talk to the running processes through the addresses in the file KSBFOLIO_CLUSTER_ENV
//! names, and fail when it is missing: run them with `make test-cluster`, which starts the
//! topology, runs these one at a time (the fault tests stop and kill parts the others use, and put
//! them back) and stops it again. `make test-rust` does not build them (`test = false`).

mod faults;
mod nodes;
mod throttle;
mod topology;
