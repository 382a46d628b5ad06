package dev.couponhub.devstack;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.elasticmq.NodeAddress;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Amazon SQS compatible queues from an embedded ElasticMQ server, with Couponhub's queues created on start.
 *
 * <p>Messages live in memory: they do not survive a devstack restart (the queues are created again, empty). That is
 * acceptable locally, where producers write an outbox first and can resend.
 *
 * <p>{@link #suspend()} closes the port as an outage of SQS would (clients get connection refused) while the queues and
 * their messages stay in memory; {@link #resume()} opens it again on the same port, with every message as it was. The
 * queues live in a queue manager actor owned here, not by the HTTP server, which is why they outlive it.
 */
final class SqsServer implements ManagedServer {

    /** Queues created on every start; each has a dead-letter queue {@code <name>-dlq}. */
    static final List<String> QUEUES = List.of("coupon-events-notification", "coupon-events-stats",
            "store-events-coupon");
    static final String DLQ_SUFFIX = "-dlq";
    static final int MAX_RECEIVE_COUNT = 12;
    static final int VISIBILITY_TIMEOUT_SECONDS = 30;
    static final String REGION = "us-east-1";
    static final String ACCOUNT_ID = "000000000000";
    /** ElasticMQ accepts any credentials; the AWS SDK needs some. */
    static final String DUMMY_CREDENTIAL = "local";

    private static final Logger log = LoggerFactory.getLogger(SqsServer.class);

    private final int port;
    private final ActorSystem actorSystem;
    private final ActorRef queueManager;
    /** The HTTP server; null while suspended. */
    private SQSRestServer server;

    private SqsServer(int port, ActorSystem actorSystem, ActorRef queueManager, SQSRestServer server) {
        this.port = port;
        this.actorSystem = actorSystem;
        this.queueManager = queueManager;
        this.server = server;
    }

    static SqsServer start(int port) {
        ActorSystem actorSystem = newActorSystem();
        ActorRef queueManager;
        SQSRestServer server;
        try {
            queueManager = actorSystem.actorOf(Props.create(QueueManagerActor.class, () -> new QueueManagerActor(
                    new NowProvider(), SQSRestServerBuilder.sqsLimits(), SQSRestServerBuilder.queueEventListener())));
            server = bind(actorSystem, queueManager, port);
        } catch (RuntimeException e) {
            terminate(actorSystem);
            throw new DevstackException("SQS (ElasticMQ) failed to start on port " + port + ": " + e.getMessage(), e);
        }
        SqsServer sqs = new SqsServer(port, actorSystem, queueManager, server);
        try {
            sqs.createQueues();
        } catch (RuntimeException e) {
            sqs.stop();
            throw new DevstackException("Could not create the SQS queues: " + e.getMessage(), e);
        }
        return sqs;
    }

    int port() {
        return port;
    }

    String endpoint() {
        return "http://" + Ports.HOST + ":" + port;
    }

    private static SQSRestServer bind(ActorSystem actorSystem, ActorRef queueManager, int port) {
        SQSRestServer server = SQSRestServerBuilder.withActorSystem(actorSystem)
                .withQueueManagerActor(queueManager)
                .withInterface(Ports.HOST)
                .withPort(port)
                .withServerAddress(new NodeAddress("http", Ports.HOST, port, ""))
                .withAWSRegion(REGION)
                .withAWSAccountId(ACCOUNT_ID)
                .start();
        server.waitUntilStarted();
        return server;
    }

    /**
     * Closes the port, as an outage would: new connections are refused, requests under way (long polls) are answered
     * first. Queues and messages stay. Answers false if it was suspended already.
     */
    synchronized boolean suspend() {
        if (server == null) {
            return false;
        }
        try {
            server.stopAndWait();
        } catch (RuntimeException e) {
            log.warn("Suspending ElasticMQ failed: {}", e.getMessage());
        }
        server = null;
        return true;
    }

    /** Opens the port again after {@link #suspend()}, with every queue and message. Answers false if it was open. */
    synchronized boolean resume() {
        if (server != null) {
            return false;
        }
        try {
            server = bind(actorSystem, queueManager, port);
        } catch (RuntimeException e) {
            throw new DevstackException("SQS (ElasticMQ) failed to listen again on port " + port + ": "
                    + e.getMessage(), e);
        }
        return true;
    }

    @Override
    public synchronized void stop() {
        suspend();
        terminate(actorSystem);
    }

    /**
     * ElasticMQ's actor system, owned by the devstack: daemon threads (an unclosed devstack never keeps a JVM
     * alive) and no JVM shutdown hooks of its own (the devstack decides when to stop).
     */
    private static ActorSystem newActorSystem() {
        ClassLoader classLoader = SqsServer.class.getClassLoader();
        Config config = ConfigFactory.parseMap(Map.of(
                        "pekko.daemonic", "on",
                        "pekko.jvm-shutdown-hooks", "off",
                        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off"))
                .withFallback(ConfigFactory.load(classLoader));
        return ActorSystem.create("elasticmq", config, classLoader);
    }

    private static void terminate(ActorSystem actorSystem) {
        try {
            actorSystem.terminate();
            actorSystem.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Stopping ElasticMQ's actor system failed: {}", e.toString());
        }
    }

    private void createQueues() {
        try (SqsClient sqs = SqsClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(DUMMY_CREDENTIAL, DUMMY_CREDENTIAL)))
                .build()) {
            for (String queue : QUEUES) {
                String dlqUrl = sqs.createQueue(request -> request.queueName(queue + DLQ_SUFFIX)).queueUrl();
                String dlqArn = sqs.getQueueAttributes(request -> request.queueUrl(dlqUrl)
                                .attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN);
                String redrivePolicy = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\""
                        + MAX_RECEIVE_COUNT + "\"}";
                sqs.createQueue(request -> request.queueName(queue).attributes(Map.of(
                        QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(VISIBILITY_TIMEOUT_SECONDS),
                        QueueAttributeName.REDRIVE_POLICY, redrivePolicy)));
            }
        }
        log.debug("Created SQS queues {} with dead-letter queues", QUEUES);
    }
}
