//! A minimal HTTP/1 accept loop for the Znuny backend. Znuny's web server sends only
//! `Content-Type`, `Content-Length` and `Connection`; `axum::serve` always adds `Date`,
//! so this loop drives hyper directly with the automatic `Date` header switched off.
//! Every request gets the peer address as `ConnectInfo` (Znuny binds sessions to it).

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::future::Future;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Serves `router` until `shutdown` resolves; open connections are then asked to finish
/// their current request (the caller's shutdown handler exits after 3 s at the latest).
pub async fn serve_without_date(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(_) => continue,
            },
            _ = &mut shutdown => break,
        };
        let router = router.clone();
        let mut stop = stop_rx.clone();
        tasks.spawn(async move {
            let svc = service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                router.clone().oneshot(req)
            });
            let mut builder = http1::Builder::new();
            builder.auto_date_header(false).keep_alive(true);
            let conn = builder.serve_connection(TokioIo::new(stream), svc);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
        while tasks.try_join_next().is_some() {}
    }
    let _ = stop_tx.send(true);
    while tasks.join_next().await.is_some() {}
    Ok(())
}
