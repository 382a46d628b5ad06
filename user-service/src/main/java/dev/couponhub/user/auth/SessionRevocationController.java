package dev.couponhub.user.auth;

import java.util.List;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Ended sessions, for the gateways: they poll this every second or two and refuse the access tokens whose
 * {@code sid} names an ended session. Outside {@code /api}, so the gateway does not route it to the public; like the
 * JWKS it is served on the service port only and left out of the OpenAPI description.
 */
@Hidden
@RestController
class SessionRevocationController {

    static final String PATH = "/internal/v1/session-revocations";
    static final int MAX_LIMIT = 1000;

    /** {@code {"revocations": [{id, sessionId, userId, revokedAt}]}}, ascending id. */
    record RevocationsResponse(List<SessionRevocations.Revocation> revocations) {
    }

    private final SessionRevocations sessions;

    SessionRevocationController(SessionRevocations sessions) {
        this.sessions = sessions;
    }

    /**
     * The revocations with an id above {@code after} (default 0), ascending, at most {@code limit} (1..1000, default
     * 1000). A reader keeps the largest id it has seen and passes it as {@code after} next time; fewer than
     * {@code limit} rows means it has caught up.
     */
    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<RevocationsResponse> revocations(
            @RequestParam(defaultValue = "0") @Min(0) long after,
            @RequestParam(defaultValue = "1000") @Min(1) @Max(MAX_LIMIT) int limit) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(new RevocationsResponse(sessions.after(after, limit)));
    }
}
