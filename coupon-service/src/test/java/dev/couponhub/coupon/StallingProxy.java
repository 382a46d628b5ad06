package dev.couponhub.coupon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Forwards TCP connections from a local port to a target port and can stall them: while stalled, bytes are still
 * read from either side but held, and new connections are accepted but get no bytes through; on {@link #resume()}
 * what was held is delivered, in order, even for a side that has since closed its socket (TCP delivers what was sent
 * before a close). A database that stops answering for a while, and whose clients' last packets arrive late.
 * (test-support's {@code TcpProxy} can only cut connections.)
 */
final class StallingProxy implements AutoCloseable {

    private final int targetPort;
    private final ServerSocket server;
    private final Object flow = new Object();
    private boolean stalled;
    private String stallAt;

    StallingProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "stalling-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void stall() {
        synchronized (flow) {
            stalled = true;
        }
    }

    /**
     * Stalls as soon as a client sends a statement starting with {@code statement} (e.g. {@code XA PREPARE}), before
     * it passes: what the transaction sent before reached the server, the statement is held (and delivered on
     * {@link #resume()}).
     */
    void stallAtNext(String statement) {
        synchronized (flow) {
            stallAt = statement;
        }
    }

    /** Whether the stall armed by {@link #stallAtNext(String)} has begun. */
    boolean stalled() {
        synchronized (flow) {
            return stalled;
        }
    }

    void resume() {
        synchronized (flow) {
            stalled = false;
            flow.notifyAll();
        }
    }

    @Override
    public void close() {
        resume();
        try {
            server.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                // closed, or the target refused
            }
        }
    }

    private void awaitFlow() throws InterruptedException {
        synchronized (flow) {
            while (stalled) {
                flow.wait();
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (fromClient) {
                        synchronized (flow) {
                            if (stallAt != null && isQuery(buffer, read, stallAt)) {
                                stallAt = null;
                                stalled = true;
                            }
                        }
                    }
                    awaitFlow();
                    out.write(buffer, 0, read);
                    out.flush();
                }
                awaitFlow();
                to.shutdownOutput();
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "stalling-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /** A MySQL COM_QUERY packet (4-byte header, command 0x03) whose text starts with {@code statement}, any case. */
    private static boolean isQuery(byte[] buffer, int length, String statement) {
        if (length < 5 + statement.length() || buffer[4] != 0x03) {
            return false;
        }
        return new String(buffer, 5, statement.length(), java.nio.charset.StandardCharsets.US_ASCII)
                .equalsIgnoreCase(statement);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
