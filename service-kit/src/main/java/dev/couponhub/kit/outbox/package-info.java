/**
 * The transactional outbox and its relay to SQS.
 *
 * <p>A service that publishes events:
 * <ol>
 *   <li>creates its outbox table in its own schema with a Flyway migration (see {@code OutboxTable} for the columns,
 *       {@code parked_at} among them; a {@code destination} column only when it fans out to several queues);</li>
 *   <li>configures {@code couponhub.outbox.*} ({@link dev.couponhub.kit.outbox.OutboxProperties}): {@code queue}
 *       (one queue) or {@code queues} (several; still one row per event), {@code table} when not
 *       {@code outbox_events}, retention and relay settings;</li>
 *   <li>writes its events as records implementing {@link dev.couponhub.kit.outbox.OutboxEvent} and calls
 *       {@link dev.couponhub.kit.outbox.Outbox#append} or {@link dev.couponhub.kit.outbox.Outbox#appendAll} inside the
 *       transaction of the change.</li>
 * </ol>
 * The relay then sends each event as one SQS message {@code {eventId, type, occurredAt, payload}} (or packed with
 * others), at least once, oldest first, holding no transaction while it waits for SQS. While SQS is out the relay
 * pauses and the events wait in order; an event SQS refuses on its own is tried again after a doubling back-off and
 * parked ({@code parked_at}) after {@code relay.max-attempts}: logged at ERROR, counted
 * ({@code couponhub.outbox.parked}), left for an operator to re-queue (see {@code docs/operations.md}). See
 * {@link dev.couponhub.kit.outbox.OutboxRelay}.
 */
package dev.couponhub.kit.outbox;
