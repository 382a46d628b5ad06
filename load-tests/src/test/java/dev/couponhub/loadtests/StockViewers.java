package dev.couponhub.loadtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code -Dviewers=N}: N browsers watching the measured coupon's live stock
 * ({@code GET /api/v1/coupons/{id}/stock/stream}) during the run, opened before the warm-up; {@code -DviewersUrl}
 * says where they connect (the gateway by default). Each carries a bench shopper's token (round robin), as a
 * signed-in shopper's page does, so that opening thousands from this one address is limited per shopper, not by the
 * anonymous bucket of one address. Counts the stock events they receive.
 *
 * <p>A viewer's browser is not on the suite's machine, but the load generator is: so the streams are read as cheaply
 * as a reader can, one thread and one selector for all of them, bytes counted for {@code event:stock} without
 * decoding, so that the measure is the suite's cost of the viewers and as little as possible the reader's own.
 */
final class StockViewers implements AutoCloseable {

    private static final byte[] EVENT = "event:stock".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "HTTP/1.1 200".getBytes(StandardCharsets.US_ASCII);
    private static final int OPENING_AT_ONCE = 200;

    private final Selector selector;
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final CountDownLatch allOpen = new CountDownLatch(1);
    final LongAdder events = new LongAdder();
    private volatile boolean closing;
    private final Thread reader;

    private StockViewers(InetSocketAddress address, String host, long couponId, List<BenchSetup.Shopper> shoppers,
                         int viewers) throws IOException {
        this.selector = Selector.open();
        this.reader = new Thread(() -> run(address, host, couponId, shoppers, viewers), "stock-viewers");
        this.reader.setDaemon(true);
    }

    static StockViewers open(String url, long couponId, List<BenchSetup.Shopper> shoppers, int viewers)
            throws InterruptedException {
        URI uri = URI.create(url);
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        StockViewers open;
        try {
            open = new StockViewers(new InetSocketAddress(uri.getHost(), port), uri.getHost() + ":" + port, couponId,
                    shoppers, viewers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long started = System.nanoTime();
        open.reader.start();
        open.allOpen.await(5, TimeUnit.MINUTES);
        System.out.printf("viewers: %,d live stock streams of coupon %d open at %s in %.1f s (%d failed)%n",
                open.connected.get(), couponId, url, (System.nanoTime() - started) / 1e9, open.failed.get());
        return open;
    }

    int connected() {
        return connected.get();
    }

    int failed() {
        return failed.get();
    }

    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One viewer's connection: whether its answer's status line was read yet, and how far a pattern matched. */
    private static final class Viewer {
        final ByteBuffer request;
        boolean answered;
        int matched;

        Viewer(ByteBuffer request) {
            this.request = request;
        }
    }

    private void run(InetSocketAddress address, String host, long couponId, List<BenchSetup.Shopper> shoppers,
                     int viewers) {
        ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
        int started = 0;
        int opening = 0;
        try (selector) {
            while (!closing) {
                while (started < viewers && opening < OPENING_AT_ONCE) {
                    String request = "GET /api/v1/coupons/" + couponId + "/stock/stream HTTP/1.1\r\nHost: " + host
                            + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer "
                            + shoppers.get(started % shoppers.size()).token() + "\r\n\r\n";
                    SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.connect(address);
                    channel.register(selector, SelectionKey.OP_CONNECT,
                            new Viewer(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII))));
                    started++;
                    opening++;
                }
                if (started == viewers && opening == 0) {
                    allOpen.countDown();
                }
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Viewer viewer = (Viewer) key.attachment();
                    SocketChannel channel = (SocketChannel) key.channel();
                    try {
                        if (key.isConnectable()) {
                            channel.finishConnect();
                            channel.write(viewer.request);
                            key.interestOps(SelectionKey.OP_READ);
                            continue;
                        }
                        in.clear();
                        int read = channel.read(in);
                        if (read < 0) {
                            throw new IOException("closed by the server");
                        }
                        in.flip();
                        if (!viewer.answered) {
                            viewer.answered = true;
                            opening--;
                            if (!startsWith(in, OK)) {
                                failed.incrementAndGet();
                                key.cancel();
                                channel.close();
                                continue;
                            }
                            connected.incrementAndGet();
                        }
                        count(viewer, in);
                    } catch (IOException e) {
                        if (!viewer.answered) {
                            viewer.answered = true;
                            opening--;
                            failed.incrementAndGet();
                        }
                        key.cancel();
                        channel.close();
                    }
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            allOpen.countDown();
        }
    }

    private void count(Viewer viewer, ByteBuffer bytes) {
        int matched = viewer.matched;
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == EVENT[matched]) {
                if (++matched == EVENT.length) {
                    events.increment();
                    matched = 0;
                }
            } else {
                matched = b == EVENT[0] ? 1 : 0;
            }
        }
        viewer.matched = matched;
    }

    private static boolean startsWith(ByteBuffer bytes, byte[] prefix) {
        if (bytes.remaining() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes.get(bytes.position() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
