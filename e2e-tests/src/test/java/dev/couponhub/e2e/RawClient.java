package dev.couponhub.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 byte for byte, one connection per request: whatever a request holds (an unencoded path, control
 * characters in a header, a body that does not match its {@code Content-Type}) goes out as it is, which no client
 * library allows. The local address can be chosen among 127.0.0.0/8, so that anonymous requests come from many
 * client addresses (the gateway limits anonymous callers per address). A response that does not arrive within
 * {@code timeout} is answered as {@link Response#timedOut()}; an event stream is read up to its headers only.
 */
final class RawClient {

    /** A request as it goes out. {@code body} may be {@code null} (no body and no {@code Content-Length}). */
    record Request(String method, String target, List<String[]> headers, byte[] body) {

        String describe() {
            StringBuilder text = new StringBuilder(method).append(' ').append(abbreviate(target, 200));
            for (String[] header : headers) {
                String value = header[0].equalsIgnoreCase("Authorization") && header[1].length() > 40
                        ? header[1].substring(0, 12) + "..." : header[1];
                text.append(" | ").append(header[0]).append(": ").append(abbreviate(value, 120));
            }
            if (body != null) {
                text.append(" | body ").append(body.length).append(" bytes: ")
                        .append(abbreviate(new String(body, StandardCharsets.UTF_8), 300));
            }
            return text.toString();
        }
    }

    /** A response; {@code status} 0 when none came (time-out or connection closed without an answer). */
    record Response(int status, Map<String, String> headers, byte[] body, long millis, boolean timedOut) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final int port;
    private final int timeoutMillis;

    RawClient(int port, int timeoutMillis) {
        this.port = port;
        this.timeoutMillis = timeoutMillis;
    }

    Response send(Request request, InetAddress from) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes((request.method() + " " + request.target() + " HTTP/1.1\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            head.writeBytes(("Host: localhost:" + port + "\r\nConnection: close\r\n").getBytes(StandardCharsets.UTF_8));
            for (String[] header : request.headers()) {
                head.writeBytes((header[0] + ": " + header[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            if (request.body() != null) {
                head.writeBytes(("Content-Length: " + request.body().length + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            head.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(head.toByteArray());
            if (request.body() != null) {
                try {
                    out.write(request.body());
                }
                catch (IOException e) {
                    // answered (and closed) before the whole body was sent: read the answer below
                }
            }
            out.flush();
            return read(socket.getInputStream(), start);
        }
        catch (SocketTimeoutException e) {
            return new Response(0, Map.of(), new byte[0], elapsed(start), true);
        }
        catch (IOException e) {
            return new Response(0, Map.of("x-client-error", e.toString()), new byte[0], elapsed(start), false);
        }
    }

    private static Response read(InputStream in, long start) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return new Response(0, Map.of("x-client-error", "closed before an answer"), new byte[0],
                        elapsed(start), false);
            }
            headBytes.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        if (String.valueOf(headers.get("content-type")).startsWith("text/event-stream")) {
            return new Response(status, headers, new byte[0], elapsed(start), false);
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        }
        else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked(in);
        }
        else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body, elapsed(start), false);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                line(in);
                return body.toByteArray();
            }
            body.writeBytes(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...(" + text.length() + " chars)";
    }
}
