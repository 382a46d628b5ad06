package dev.couponhub.batch;

import java.io.IOException;
import java.util.UUID;

import dev.couponhub.devstack.Component;
import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.Queues;
import dev.couponhub.testsupport.SqsBacklogGauge;
import dev.couponhub.testsupport.TcpProxy;
import dev.couponhub.testsupport.TestDevstack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The backlog gauge {@code couponhub_sqs_messages} (the kit's, watching {@code couponhub.stats.events-queue} as
 * application.yml says) of the consumed queue and its dead-letter queue, read from the real SQS (ElasticMQ) through a
 * proxy that is off when the context starts and that the test switches off again: SQS down. The listener is off:
 * messages stay in the queue.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "couponhub.stats.listener-enabled=false",
        "couponhub.stats.schedule.enabled=false",
        "grpc.client.store-service.address=in-process:" + FakeStoreDirectory.NAME,
        "couponhub.sqs.backlog.interval=200ms",
        "couponhub.sqs.backlog.timeout=1s",
})
class SqsBacklogIT {

    private static final String QUEUE = "stats-backlog-it-" + UUID.randomUUID().toString().substring(0, 8);
    /** SQS as the service sees it; off until the test starts it. */
    private static final TcpProxy SQS = new TcpProxy(Queues.port());

    static {
        FakeStoreDirectory.instance(); // its in-process server, so that the gRPC channel is healthy
    }

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "batch", Component.MARIADB, Component.SQS);
        registry.add("spring.cloud.aws.sqs.endpoint", () -> "http://127.0.0.1:" + SQS.port());
        registry.add("couponhub.stats.events-queue", () -> QUEUE);
        SqsBacklogGauge.createQueues(QUEUE);
    }

    @AfterAll
    static void closeProxy() {
        SQS.close();
    }

    @LocalServerPort
    int port;

    @Test
    void eventsQueueBacklogThenGaugedAndWhileSqsIsDownTheServiceStaysHealthyWithNoValue() throws IOException {
        SqsBacklogGauge.assertFollowsSqs(new ApiClient(port), SQS, QUEUE);
    }
}
