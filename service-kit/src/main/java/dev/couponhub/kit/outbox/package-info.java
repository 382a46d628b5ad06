/**
 * The transactional outbox and its relay to SQS.
 *
 * <p>A service that publishes events:
 * <ol>
 *   <li>creates its outbox table in its own schema with a Flyway migration (see {@code OutboxTable} for the columns;
 *       a {@code destination} column only when it fans out to several queues);</li>
 *   <li>configures {@code couponhub.outbox.*} ({@link dev.couponhub.kit.outbox.OutboxProperties}): {@code queue}
 *       (one queue) or {@code queues} (several; still one row per event), {@code table} when not
 *       {@code outbox_events}, retention and relay settings;</li>
 *   <li>writes its events as records implementing {@link dev.couponhub.kit.outbox.OutboxEvent} and calls
 *       {@link dev.couponhub.kit.outbox.Outbox#append} or {@link dev.couponhub.kit.outbox.Outbox#appendAll} inside the
 *       transaction of the change.</li>
 * </ol>
 * The relay then sends each event as one SQS message {@code {eventId, type, occurredAt, payload}}, at least once,
 * oldest first, retrying with a doubling back-off; see {@link dev.couponhub.kit.outbox.OutboxRelay}.
 */
package dev.couponhub.kit.outbox;
