package dev.couponhub.gateway.edge;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import dev.couponhub.gateway.problem.ProblemWriter;

/**
 * Gives the answers that the HTTP decoder sends on its own a problem body. A request line longer than the server's
 * limit (414), headers larger than the limit (431) or a request that is not HTTP at all (400) never reach WebFlux:
 * Reactor Netty answers them with an empty body and closes the connection. This handler sits right after the HTTP
 * codec and replaces such an empty answer (no body, no {@code Content-Type}) by the same answer with an
 * {@code application/problem+json} body; every other message passes unchanged. Answers written by the gateway itself
 * always carry a {@code Content-Type}, so only the decoder's are touched.
 */
@ChannelHandler.Sharable
final class ProtocolProblems extends ChannelOutboundHandlerAdapter {

    /** The handler's name in each connection's pipeline. */
    static final String NAME = "couponhub.protocolProblems";

    private final Map<Integer, byte[]> bodies;

    ProtocolProblems(ObjectMapper json, int maxRequestLineLength, long maxHeaderBytes) {
        this.bodies = Map.of(
                400, body(json, HttpStatus.BAD_REQUEST, "VALIDATION_FAILED",
                        "The request is not valid HTTP/1.1.", "request", "must be a valid HTTP/1.1 request"),
                414, body(json, HttpStatus.URI_TOO_LONG, "URI_TOO_LONG",
                        "The request line (method, path and query) is longer than " + maxRequestLineLength
                                + " bytes.", "uri", "must be at most " + maxRequestLineLength + " bytes"),
                431, body(json, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "REQUEST_HEADER_FIELDS_TOO_LARGE",
                        "The request headers are larger than " + maxHeaderBytes + " bytes.", "headers",
                        "must be at most " + maxHeaderBytes + " bytes together"));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof FullHttpResponse response && response.content().readableBytes() == 0
                && !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
            byte[] body = bodies.get(response.status().code());
            if (body != null) {
                FullHttpResponse answer = response.replace(Unpooled.wrappedBuffer(body));
                response.release();
                answer.headers()
                        .set(HttpHeaderNames.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
                ctx.write(answer, promise);
                return;
            }
        }
        ctx.write(msg, promise);
    }

    private static byte[] body(ObjectMapper json, HttpStatus status, String code, String detail, String field,
                               String message) {
        ProblemDetail problem = ProblemWriter.problem(status, code, detail, null);
        problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
        try {
            return json.writeValueAsBytes(problem);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialize problem", e);
        }
    }
}
