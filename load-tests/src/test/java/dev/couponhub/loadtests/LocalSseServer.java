package dev.couponhub.loadtests;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.ReferenceCountUtil;

/**
 * An SSE server inside the benchmark, for the client's own warm-up: every stream it answers gets the
 * {@code :connected} comment at once and, when {@link #send} is called, the given events one after another. The
 * benchmark's client shares this machine's cores with the service it measures, and its first events would otherwise be
 * read by code still interpreted or being compiled, on the same cores as the service's first fan-out: reading a few
 * tens of thousands of events from this server first keeps the client's warm-up out of the first round. h2c (Netty's
 * HTTP/2 server, {@code streamsPerConnection} streams per connection, as notification-service allows) or HTTP/1.1 (the
 * JDK's server, one thread per stream).
 */
abstract class LocalSseServer implements AutoCloseable {

    static LocalSseServer start(String protocol, int streamsPerConnection) throws Exception {
        return protocol.equals("h2c") ? new H2c(streamsPerConnection) : new Http1();
    }

    /** The port it listens on, on 127.0.0.1. */
    abstract int port();

    /** Writes these events (each an SSE event with its blank line) to every stream open now, then ends them. */
    abstract void send(List<String> events);

    private static final String CONNECTED = ":connected\n\n";

    /** HTTP/2 without TLS (prior knowledge), as the benchmark's {@link H2cStreams} speaks it. */
    private static final class H2c extends LocalSseServer {

        private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        private final List<Connection> connections = new CopyOnWriteArrayList<>();
        private final Channel server;

        H2c(int streamsPerConnection) throws InterruptedException {
            server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            Connection connection = new Connection();
                            connections.add(connection);
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().initialSettings(
                                    Http2Settings.defaultSettings().maxConcurrentStreams(streamsPerConnection))
                                    .build(), connection);
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
        }

        @Override
        int port() {
            return ((InetSocketAddress) server.localAddress()).getPort();
        }

        @Override
        void send(List<String> events) {
            List<ByteBuf> frames = events.stream()
                    .map(event -> Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(event, StandardCharsets.UTF_8)))
                    .toList();
            connections.forEach(connection -> connection.send(frames));
        }

        @Override
        public void close() {
            server.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }

        /** One connection: its streams, answered as they open; the events written on its event loop. */
        private static final class Connection extends Http2ChannelDuplexHandler {

            private final List<Http2FrameStream> streams = new ArrayList<>();
            private ChannelHandlerContext context;

            @Override
            protected void handlerAdded0(ChannelHandlerContext ctx) {
                context = ctx;
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (msg instanceof Http2HeadersFrame request && request.stream() != null) {
                        streams.add(request.stream());
                        ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                                .set("content-type", "text/event-stream")).stream(request.stream()));
                        ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(CONNECTED,
                                StandardCharsets.UTF_8)).stream(request.stream()));
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            void send(List<ByteBuf> events) {
                context.executor().execute(() -> {
                    for (int n = 0; n < events.size(); n++) {
                        boolean last = n == events.size() - 1;
                        for (Http2FrameStream stream : streams) {
                            context.write(new DefaultHttp2DataFrame(events.get(n).duplicate(), last).stream(stream));
                        }
                        context.flush();
                    }
                    streams.clear();
                });
            }
        }
    }

    /** HTTP/1.1, one connection and one server thread per stream. */
    private static final class Http1 extends LocalSseServer {

        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final CompletableFuture<List<String>> events = new CompletableFuture<>();

        Http1() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1_000);
            server.setExecutor(threads);
            server.createContext("/", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(CONNECTED.getBytes(StandardCharsets.UTF_8));
                    body.flush();
                    for (String event : events.join()) {
                        body.write(event.getBytes(StandardCharsets.UTF_8));
                        body.flush();
                    }
                }
            });
            server.start();
        }

        @Override
        int port() {
            return server.getAddress().getPort();
        }

        @Override
        void send(List<String> events) {
            this.events.complete(events);
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
