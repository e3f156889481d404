//! Stopping the gateway: shut down or dropped, it stops listening, and a slow answer does not
//! hold the shutdown up.

use super::*;

#[tokio::test]
async fn shutdown_and_drop_stop_listening() -> TestResult {
    let server = server().await?;
    let addr = server.addr();
    assert!(server.endpoint().starts_with("http://127.0.0.1:"));
    assert!(TcpStream::connect(addr).await.is_ok());
    server.shutdown().await;
    assert!(TcpStream::connect(addr).await.is_err());

    let server = self::server().await?;
    let addr = server.addr();
    drop(server);
    // The abort takes effect when the runtime next polls the server's task.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(TcpStream::connect(addr).await.is_err());
    Ok(())
}

#[tokio::test]
async fn slow_answer_does_not_hold_up_shutdown() -> TestResult {
    let server = faulty_server().await?;
    // An answer held for an hour: a shutdown that waited for it would show at once, with a margin
    // no busy machine eats into.
    server.inject(Fault::slow(Duration::from_secs(3600)));
    let addr = server.addr();
    let request = describe_images(&server);
    let pending = tokio::spawn(async move { send_raw(addr, &request).await.is_err() });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    server.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(600));
    assert!(
        pending.await?,
        "the client got an answer from a stopped server"
    );
    Ok(())
}
