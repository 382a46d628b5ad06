package dev.couponhub.loadtests;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;

/**
 * Streams over HTTP/2 without TLS (h2c, prior knowledge), many on each connection: the way the gateway reaches
 * notification-service's stream. Opens {@code streamsPerConnection} streams on a connection before it opens the next,
 * so 50,000 streams take 500 sockets (100 each, notification-service's limit) instead of 50,000 (a process here may
 * hold 20,000 open files). Each stream's body is handed on line by line, as an SSE reader needs it.
 */
final class H2cStreams implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<Channel> connections = new ArrayList<>();
    private final int streamsPerConnection;
    private Http2StreamChannelBootstrap current;
    private int streamsOnCurrent;

    H2cStreams(int streamsPerConnection) {
        this.streamsPerConnection = streamsPerConnection;
    }

    /** Connections opened so far. */
    int connections() {
        return connections.size();
    }

    /**
     * Opens one stream (GET {@code uri} with {@code headers}); {@code status} gets the response's status (or -1 when
     * the stream failed or ended before it), {@code line} every line of the body without its end of line.
     */
    CompletableFuture<Integer> open(URI uri, Map<String, String> headers, Consumer<String> line) throws Exception {
        if (current == null || streamsOnCurrent == streamsPerConnection) {
            current = new Http2StreamChannelBootstrap(connect(uri));
            streamsOnCurrent = 0;
        }
        streamsOnCurrent++;
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Http2StreamChannel stream = current.handler(new StreamReader(status, line)).open().get(10, TimeUnit.SECONDS);
        Http2Headers request = new DefaultHttp2Headers().method("GET").scheme("http")
                .authority(uri.getHost() + ":" + uri.getPort()).path(uri.getRawPath());
        headers.forEach((name, value) -> request.add(name.toLowerCase(), value));
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(request, true));
        return status;
    }

    /** Connects and waits for the server's settings, so that no stream is opened before its limit is known. */
    private Channel connect(URI uri) throws Exception {
        CompletableFuture<Http2Settings> settings = new CompletableFuture<>();
        Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                                        .initialSettings(Http2Settings.defaultSettings().initialWindowSize(1 << 20))
                                        .build(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof Http2SettingsFrame frame) {
                                            settings.complete(frame.settings());
                                        }
                                        ReferenceCountUtil.release(msg);
                                    }
                                });
                    }
                })
                .connect(uri.getHost(), uri.getPort()).sync().channel();
        Long maxStreams = settings.get(10, TimeUnit.SECONDS).maxConcurrentStreams();
        if (maxStreams != null && maxStreams < streamsPerConnection) {
            throw new IllegalStateException("the server allows " + maxStreams + " streams per connection, fewer than "
                    + "streamsPerConnection (" + streamsPerConnection + ")");
        }
        connections.add(channel);
        return channel;
    }

    @Override
    public void close() {
        connections.forEach(Channel::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** One stream's frames: the status from its headers, its data split into lines. */
    private static final class StreamReader extends ChannelInboundHandlerAdapter {

        private final CompletableFuture<Integer> status;
        private final Consumer<String> line;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        StreamReader(CompletableFuture<Integer> status, Consumer<String> line) {
            this.status = status;
            this.line = line;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame headers && !status.isDone()) {
                    CharSequence code = headers.headers().status();
                    status.complete(code == null ? -1 : Integer.parseInt(code.toString()));
                } else if (msg instanceof Http2DataFrame data) {
                    // bytes until the end of a line, so that a character split between two frames stays whole
                    ByteBuf content = data.content();
                    while (content.isReadable()) {
                        byte next = content.readByte();
                        if (next == '\n') {
                            String text = partial.toString(StandardCharsets.UTF_8);
                            line.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
                            partial.reset();
                        } else {
                            partial.write(next);
                        }
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            status.complete(-1);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            status.complete(-1);
            ctx.close();
        }
    }
}
