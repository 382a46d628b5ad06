package dev.couponhub.notification;

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
 * The backlog gauge {@code couponhub_sqs_messages} (the kit's, watching {@code couponhub.notification.events-queue}
 * as application.yml says) of the consumed queue and its dead-letter queue, read from the real SQS (ElasticMQ) through
 * a proxy that is off when the context starts and that the test switches off again: SQS down. The listener is off:
 * messages stay in the queue.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "couponhub.notification.listener-enabled=false",
        "couponhub.notification.mail.enabled=false",
        "grpc.client.store-service.address=in-process:" + FakeStoreService.NAME,
        "grpc.client.user-service.address=in-process:" + FakeUserService.NAME,
        "couponhub.sqs.backlog.interval=200ms",
        "couponhub.sqs.backlog.timeout=1s",
})
class SqsBacklogIT {

    private static final String QUEUE = "alerts-backlog-it-" + UUID.randomUUID().toString().substring(0, 8);
    /** SQS as the service sees it; off until the test starts it. */
    private static final TcpProxy SQS = new TcpProxy(Queues.port());

    @DynamicPropertySource
    static void devstack(DynamicPropertyRegistry registry) {
        TestDevstack.register(registry, "notification", Component.MARIADB, Component.REDIS, Component.SQS,
                Component.SMTP);
        registry.add("spring.cloud.aws.sqs.endpoint", () -> "http://127.0.0.1:" + SQS.port());
        registry.add("couponhub.notification.events-queue", () -> QUEUE);
        SqsBacklogGauge.createQueues(QUEUE);
    }

    @LocalServerPort
    int port;

    @Test
    void eventsQueueBacklogThenGaugedAndWhileSqsIsDownTheServiceStaysHealthyWithNoValue() throws IOException {
        SqsBacklogGauge.assertFollowsSqs(new ApiClient(port), SQS, QUEUE);
    }

    @AfterAll
    static void closeProxy() {
        SQS.close();
    }
}
