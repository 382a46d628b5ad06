package dev.couponhub.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A switch for an SQS outage, driven by a file: while {@code <dataDir>/sqs.suspended} exists, ElasticMQ's port is
 * closed ({@link SqsServer#suspend()}); once it is deleted, the port opens again with every queue and message as they
 * were. A fault test makes and deletes the file ({@code touch}, {@code rm}); nothing listens on a port for it, and
 * only whoever may write the data directory can use it. The file is checked every {@code interval} (200 ms in the
 * devstack program); the switch acts on changes only.
 */
final class SqsSwitch implements AutoCloseable {

    static final String FILE_NAME = "sqs.suspended";

    private static final Logger log = LoggerFactory.getLogger(SqsSwitch.class);

    private final Thread thread;
    private volatile boolean closed;

    private SqsSwitch(Path file, Runnable suspend, Runnable resume, Duration interval) {
        this.thread = new Thread(() -> {
            boolean suspended = false;
            while (!closed) {
                boolean wanted = Files.exists(file);
                if (wanted != suspended) {
                    try {
                        (wanted ? suspend : resume).run();
                        suspended = wanted;
                        log.info(wanted ? "SQS suspended ({} exists): its port is closed, messages are kept"
                                : "SQS resumed ({} is gone)", file);
                    } catch (RuntimeException e) {
                        log.warn("Could not {} SQS: {}", wanted ? "suspend" : "resume", e.getMessage());
                    }
                }
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "devstack-sqs-switch");
        thread.setDaemon(true);
    }

    /** Watches {@code file}: its creation runs {@code suspend}, its deletion {@code resume}. */
    static SqsSwitch watch(Path file, Runnable suspend, Runnable resume, Duration interval) {
        SqsSwitch sqsSwitch = new SqsSwitch(file, suspend, resume, interval);
        sqsSwitch.thread.start();
        return sqsSwitch;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
