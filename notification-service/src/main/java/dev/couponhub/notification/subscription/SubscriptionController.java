package dev.couponhub.notification.subscription;

import java.util.List;

import dev.couponhub.kit.caller.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

@RestController
@RequestMapping("/api/v1/subscriptions")
@Tag(name = "Subscriptions", description = "Follow stores to be alerted of their new coupons")
@SecurityRequirement(name = "bearerAuth")
class SubscriptionController {

    private final SubscriptionService service;
    private final Scheduler blocking;

    SubscriptionController(SubscriptionService service, @Qualifier("blocking") Scheduler blocking) {
        this.service = service;
        this.blocking = blocking;
    }

    @PostMapping
    @Operation(summary = "Follow a store", description = "201 when the subscription is new, 200 with the same body "
            + "when the caller already follows the store.")
    @ApiResponse(responseCode = "201", description = "Subscribed")
    @ApiResponse(responseCode = "200", description = "Already subscribed")
    @ApiResponse(responseCode = "404", description = "STORE_NOT_FOUND")
    @ApiResponse(responseCode = "503", description = "DEPENDENCY_UNAVAILABLE: store-service cannot answer")
    Mono<ResponseEntity<SubscriptionResponse>> subscribe(@Parameter(hidden = true) Caller caller,
                                                         @Valid @RequestBody SubscribeRequest request) {
        return Mono.fromCallable(() -> service.subscribe(caller.userId(), request.storeId()))
                .subscribeOn(blocking)
                .map(outcome -> ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .body(SubscriptionResponse.of(outcome.subscription())));
    }

    @GetMapping
    @Operation(summary = "The caller's subscriptions, newest first")
    Mono<List<SubscriptionResponse>> list(@Parameter(hidden = true) Caller caller) {
        return Mono.fromCallable(() -> service.list(caller.userId()).stream().map(SubscriptionResponse::of).toList())
                .subscribeOn(blocking);
    }

    @DeleteMapping("/{storeId}")
    @Operation(summary = "Stop following a store", description = "204 also when the caller did not follow it.")
    @ApiResponse(responseCode = "204", description = "Not subscribed (any more)")
    Mono<ResponseEntity<Void>> unsubscribe(@Parameter(hidden = true) Caller caller, @PathVariable long storeId) {
        return Mono.fromRunnable(() -> service.unsubscribe(caller.userId(), storeId))
                .subscribeOn(blocking)
                .thenReturn(ResponseEntity.noContent().build());
    }
}
