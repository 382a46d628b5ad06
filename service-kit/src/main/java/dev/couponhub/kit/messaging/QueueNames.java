package dev.couponhub.kit.messaging;

/** How a queue given by name or by URL is named, and where its dead-letter queue is. */
final class QueueNames {

    private QueueNames() {
    }

    static boolean isUrl(String queue) {
        return queue.startsWith("https://") || queue.startsWith("http://");
    }

    /** The queue's name: itself, or the last path segment of its URL. */
    static String nameOf(String queue) {
        String base = withoutTrailingSlash(queue.strip());
        return isUrl(base) ? base.substring(base.lastIndexOf('/') + 1) : base;
    }

    /** {@code <queue>-dlq}; for a URL the same URL with {@code -dlq} appended (SQS URLs end with the queue name). */
    static String deadLetterQueueOf(String queue) {
        return withoutTrailingSlash(queue.strip()) + "-dlq";
    }

    private static String withoutTrailingSlash(String queue) {
        return queue.endsWith("/") ? queue.substring(0, queue.length() - 1) : queue;
    }
}
