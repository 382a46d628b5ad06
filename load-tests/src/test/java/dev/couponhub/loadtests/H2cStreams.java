package dev.couponhub.loadtests;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;

/**
 * Streams over HTTP/2 without TLS (h2c, prior knowledge), many on each connection: the way the gateway reaches
 * notification-service's stream. Opens {@code streamsPerConnection} streams on a connection before it opens the next,
 * so 50,000 streams take 500 sockets (100 each, notification-service's limit) instead of 50,000 (a process here may
 * hold 20,000 open files). Each stream's body is handed on line by line, as an SSE reader needs it.
 *
 * <p>The client shares the machine's cores with the service it measures, so it reads frames the cheap way: one
 * handler per connection finds a frame's stream in a map and splits its bytes at line ends (no channel and pipeline
 * per stream, no byte-by-byte copy), and gives the consumed bytes back to the flow-control window itself.
 */
final class H2cStreams implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<Channel> connections = new ArrayList<>();
    private final int streamsPerConnection;
    private Channel current;
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
            current = connect(uri);
            streamsOnCurrent = 0;
        }
        streamsOnCurrent++;
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Connection connection = current.pipeline().get(Connection.class);
        Http2FrameStream stream = connection.newStream();
        connection.streams.put(stream, new StreamReader(status, line));
        Http2Headers request = new DefaultHttp2Headers().method("GET").scheme("http")
                .authority(uri.getHost() + ":" + uri.getPort()).path(uri.getRawPath());
        headers.forEach((name, value) -> request.add(name.toLowerCase(), value));
        current.writeAndFlush(new DefaultHttp2HeadersFrame(request, true).stream(stream)).addListener(written -> {
            if (!written.isSuccess()) {
                status.complete(-1);
            }
        });
        return status;
    }

    /** Connects and waits for the server's settings, so that no stream is opened before its limit is known. */
    private Channel connect(URI uri) throws Exception {
        Connection connection = new Connection();
        Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                                .initialSettings(Http2Settings.defaultSettings().initialWindowSize(1 << 20))
                                .build(), connection);
                    }
                })
                .connect(uri.getHost(), uri.getPort()).sync().channel();
        Long maxStreams = connection.settings.get(10, TimeUnit.SECONDS).maxConcurrentStreams();
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

    /** One connection's frames, each handed to its stream's reader. */
    private static final class Connection extends Http2ChannelDuplexHandler {

        final CompletableFuture<Http2Settings> settings = new CompletableFuture<>();
        final Map<Http2FrameStream, StreamReader> streams = new ConcurrentHashMap<>();
        private boolean windowUpdated;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2SettingsFrame frame) {
                    settings.complete(frame.settings());
                } else if (msg instanceof Http2StreamFrame frame && frame.stream() != null) {
                    StreamReader reader = streams.get(frame.stream());
                    if (reader != null) {
                        read(ctx, frame, reader);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void read(ChannelHandlerContext ctx, Http2StreamFrame frame, StreamReader reader) {
            boolean ended = frame instanceof Http2ResetFrame;
            if (frame instanceof Http2HeadersFrame headers) {
                CharSequence code = headers.headers().status();
                reader.status.complete(code == null ? -1 : Integer.parseInt(code.toString()));
                ended = headers.isEndStream();
            } else if (frame instanceof Http2DataFrame data) {
                reader.read(data.content());
                // the bytes are consumed: give them back to the stream's and the connection's window
                if (data.initialFlowControlledBytes() > 0) {
                    ctx.write(new DefaultHttp2WindowUpdateFrame(data.initialFlowControlledBytes())
                            .stream(data.stream()));
                    windowUpdated = true;
                }
                ended = data.isEndStream();
            }
            if (ended) {
                streams.remove(frame.stream());
                reader.status.complete(-1);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (windowUpdated) {
                windowUpdated = false;
                ctx.flush();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            settings.completeExceptionally(new IllegalStateException("the connection closed"));
            streams.values().forEach(reader -> reader.status.complete(-1));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** One stream's status and its data split into lines. */
    private static final class StreamReader {

        private static final byte[] NONE = new byte[0];

        final CompletableFuture<Integer> status;
        private final Consumer<String> line;
        /** The start of a line whose end is in a later frame, so that a character split between two stays whole. */
        private byte[] partial = NONE;

        StreamReader(CompletableFuture<Integer> status, Consumer<String> line) {
            this.status = status;
            this.line = line;
        }

        void read(ByteBuf content) {
            int from = content.readerIndex();
            int end = content.writerIndex();
            while (from < end) {
                int lf = content.forEachByte(from, end - from, ByteProcessor.FIND_LF);
                if (lf < 0) {
                    partial = concat(partial, content, from, end - from);
                    return;
                }
                byte[] bytes = concat(partial, content, from, lf - from);
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                line.accept(new String(bytes, 0, length, StandardCharsets.UTF_8));
                partial = NONE;
                from = lf + 1;
            }
        }

        private static byte[] concat(byte[] head, ByteBuf content, int index, int length) {
            byte[] joined = Arrays.copyOf(head, head.length + length);
            content.getBytes(index, joined, head.length, length);
            return joined;
        }
    }
}
