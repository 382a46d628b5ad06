package dev.couponhub.notification.stream;

/**
 * A notification on its way to one stream: its id (for {@code Last-Event-ID}) and its alert's event, rendered once
 * for every recipient of the alert.
 */
record StreamAlert(long id, RenderedAlert event) {
}
