package dev.couponhub.notification.inbox;

import java.time.Clock;

import dev.couponhub.kit.caller.Caller;
import dev.couponhub.kit.problem.ApiException;
import dev.couponhub.kit.problem.StandardProblem;
import dev.couponhub.kit.web.PageQuery;
import dev.couponhub.notification.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

@RestController
@RequestMapping("/api/v1/notifications")
@Tag(name = "Notifications", description = "The caller's alert inbox")
@SecurityRequirement(name = "bearerAuth")
class InboxController {

    private final NotificationRepository notifications;
    private final Scheduler blocking;
    private final Clock clock;

    InboxController(NotificationRepository notifications, @Qualifier("blocking") Scheduler blocking, Clock clock) {
        this.notifications = notifications;
        this.blocking = blocking;
        this.clock = clock;
    }

    @GetMapping
    @Operation(summary = "A page of the caller's notifications, newest first",
            description = "`unreadOnly=true` lists only unread ones. `page` is zero-based, `size` 1 to 100 "
                    + "(default 20), `(page + 1) * size` at most 10,000.")
    @ApiResponse(responseCode = "400", description = "VALIDATION_FAILED: page or size out of range")
    Mono<PageResponse<Notification>> list(@Parameter(hidden = true) Caller caller,
                                          @RequestParam(defaultValue = "false") boolean unreadOnly,
                                          @RequestParam(required = false) Integer page,
                                          @RequestParam(required = false) Integer size) {
        PageQuery query = PageQuery.of(page, size);
        return Mono.fromCallable(() -> PageResponse.of(
                        notifications.page(caller.userId(), unreadOnly, query.offset(), query.size()), query,
                        notifications.count(caller.userId(), unreadOnly)))
                .subscribeOn(blocking);
    }

    @PostMapping("/{id}/read")
    @Operation(summary = "Mark one of the caller's notifications read", description = "Idempotent.")
    @ApiResponse(responseCode = "204", description = "Read")
    @ApiResponse(responseCode = "404", description = "NOT_FOUND: no such notification of the caller")
    Mono<ResponseEntity<Void>> read(@Parameter(hidden = true) Caller caller, @PathVariable long id) {
        return Mono.fromCallable(() -> notifications.markRead(caller.userId(), id, clock.instant()))
                .subscribeOn(blocking)
                .map(found -> {
                    if (!found) {
                        throw new ApiException(StandardProblem.NOT_FOUND, "You have no notification with id " + id + ".");
                    }
                    return ResponseEntity.noContent().build();
                });
    }

    @PostMapping("/read-all")
    @Operation(summary = "Mark all of the caller's notifications read")
    @ApiResponse(responseCode = "204", description = "All read")
    Mono<ResponseEntity<Void>> readAll(@Parameter(hidden = true) Caller caller) {
        return Mono.fromCallable(() -> notifications.markAllRead(caller.userId(), clock.instant()))
                .subscribeOn(blocking)
                .thenReturn(ResponseEntity.noContent().build());
    }
}
