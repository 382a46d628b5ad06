package dev.couponhub.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends a request target byte for byte, so that no client library normalizes dot segments or
 * re-encodes the path before the gateway sees it.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** The response (status line, headers and body) to {@code GET <target>}. */
    public static Response get(int port, String target) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAccept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received);
            return new Response(received.toString(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code head} (request line and headers, up to and including the empty line), then {@code body} from
     * another thread, and answers the response. The body is written while the response is read, so that a gateway
     * that answers before the whole body arrived (and closes) is seen answering, not failing the write.
     */
    public static Response send(int port, String head, byte[] body) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    out.write(body);
                    out.flush();
                }
                catch (IOException e) {
                    // the gateway answered and closed before the whole body was sent
                }
            }, "raw-http-body");
            writer.setDaemon(true);
            writer.start();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(received);
            }
            catch (IOException e) {
                // a reset after the answer arrived (the gateway closed while the body was still coming)
                if (received.size() == 0) {
                    throw e;
                }
            }
            return new Response(received.toString(StandardCharsets.UTF_8));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A keep-alive connection to {@code port} on which requests are written as given and answers read one by one. */
    public static Connection connect(int port) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(10_000);
            return new Connection(socket);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One connection; {@link #read()} reads one whole answer (length given by Content-Length or chunked). */
    public static final class Connection implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new java.io.BufferedInputStream(socket.getInputStream());
        }

        /** Writes {@code requests} (one request or several, pipelined) as they are. */
        public Connection write(String requests) {
            try {
                socket.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                return this;
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The next answer; a {@link java.net.SocketTimeoutException} (unchecked) after {@code timeout} without it. */
        public Response read(java.time.Duration timeout) {
            try {
                socket.setSoTimeout((int) timeout.toMillis());
                String head = line();
                int contentLength = 0;
                boolean chunked = false;
                StringBuilder raw = new StringBuilder(head).append("\r\n");
                for (String header = line(); !header.isEmpty(); header = line()) {
                    raw.append(header).append("\r\n");
                    String lower = header.toLowerCase(java.util.Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        contentLength = Integer.parseInt(header.substring(header.indexOf(':') + 1).trim());
                    }
                    else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    }
                }
                raw.append("\r\n");
                if (chunked) {
                    for (int size = Integer.parseInt(line().trim(), 16); size > 0;
                            size = Integer.parseInt(line().trim(), 16)) {
                        raw.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
                        line();
                    }
                    line();
                }
                else {
                    raw.append(new String(in.readNBytes(contentLength), StandardCharsets.UTF_8));
                }
                return new Response(raw.toString());
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed after " + line.size() + " bytes of a line");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() {
            try {
                socket.close();
            }
            catch (IOException e) {
                // nothing to do
            }
        }
    }

    public record Response(String raw) {

        public int status() {
            return Integer.parseInt(raw.substring(raw.indexOf(' ') + 1, raw.indexOf(' ') + 4));
        }

        public String body() {
            int end = raw.indexOf("\r\n\r\n");
            return end < 0 ? "" : raw.substring(end + 4);
        }

        public String header(String name) {
            for (String line : raw.substring(0, Math.max(0, raw.indexOf("\r\n\r\n"))).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }
}
