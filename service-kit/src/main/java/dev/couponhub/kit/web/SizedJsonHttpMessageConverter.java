package dev.couponhub.kit.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Type;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.lang.Nullable;

/**
 * Spring MVC's JSON converter, writing each answer with its {@code Content-Length}: the body is serialized into memory
 * first (JSON answers here are small: one resource or one page), then sent with its length.
 *
 * <p>Without a length Tomcat answers with chunked encoding: the converter's flush sends headers and body, and the
 * end of the request sends the 5-byte last chunk in a second {@code write()}; the gateway then reads twice and, being
 * chunked itself, sends its client a last chunk of its own. Measured on the claim path (issue 13), a system call is
 * not cheap on the machines this runs on. Everything else (views, filters, pretty printing, the charset, problem+json)
 * is the parent's. Only a whole servlet answer is buffered: a message of a stream (an {@code SseEmitter}'s event, any
 * other wrapper) is written as the parent writes it.
 */
public class SizedJsonHttpMessageConverter extends MappingJackson2HttpMessageConverter {

    public SizedJsonHttpMessageConverter(ObjectMapper objectMapper) {
        super(objectMapper);
    }

    @Override
    protected void writeInternal(Object object, @Nullable Type type, HttpOutputMessage outputMessage)
            throws IOException, HttpMessageNotWritableException {
        if (outputMessage.getClass() != ServletServerHttpResponse.class) {
            super.writeInternal(object, type, outputMessage);
            return;
        }
        Buffered buffered = new Buffered(outputMessage.getHeaders());
        super.writeInternal(object, type, buffered);
        outputMessage.getHeaders().setContentLength(buffered.body.size());
        OutputStream body = outputMessage.getBody();
        buffered.body.writeTo(body);
        body.flush();
    }

    /** The answer's headers, and a body in memory. */
    private static final class Buffered implements HttpOutputMessage {

        private final HttpHeaders headers;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(512);

        Buffered(HttpHeaders headers) {
            this.headers = headers;
        }

        @Override
        public OutputStream getBody() {
            return body;
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }
    }
}
