package dev.couponhub.kit.grpc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.grpc.Channel;
import io.grpc.stub.AbstractStub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Makes the {@link GrpcDependency GrpcDependencies} of a service, on the channels of {@code grpc.client.<name>.*}, and
 * warms each one up once the service has started (see {@link GrpcClientProperties.WarmUp}). Auto-configured.
 *
 * <pre>
 * this.stores = clients.dependency("store-service", StoreServiceGrpc::newBlockingStub, properties.stores(),
 *         "The store directory is not available right now. Try again shortly.");
 * </pre>
 */
public final class GrpcClients implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GrpcClients.class);

    private final Function<String, Channel> channels;
    private final List<GrpcDependency<?>> dependencies = new CopyOnWriteArrayList<>();
    private final List<Thread> warmUps = new CopyOnWriteArrayList<>();
    private boolean started;
    private boolean closed;

    /** @param channels the channel of a {@code grpc.client.<name>} (global client interceptors applied) */
    public GrpcClients(Function<String, Channel> channels) {
        this.channels = channels;
    }

    /**
     * The other service {@code name} (its channel {@code grpc.client.<name>.*}), called through the stub
     * {@code stubs} makes, e.g. {@code StoreServiceGrpc::newBlockingStub}.
     *
     * @param unavailableDetail the {@code detail} of the 503 its callers get when it cannot answer
     */
    public <S extends AbstractStub<S>> GrpcDependency<S> dependency(String name, Function<Channel, S> stubs,
                                                                    GrpcClientProperties properties,
                                                                    String unavailableDetail) {
        GrpcDependency<S> dependency = new GrpcDependency<>(name, channels.apply(name), stubs, properties,
                unavailableDetail);
        dependencies.add(dependency);
        synchronized (this) {
            if (started) {
                warmUp(dependency);
            }
        }
        return dependency;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        start();
    }

    /** Warms up every dependency made so far (and from now on, each one as it is made); once. */
    synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        dependencies.forEach(this::warmUp);
    }

    /** Stops the warm-ups still running. */
    @Override
    public synchronized void destroy() {
        closed = true;
        warmUps.forEach(Thread::interrupt);
    }

    /** Warm-ups still trying. */
    int warmUpsRunning() {
        return (int) warmUps.stream().filter(Thread::isAlive).count();
    }

    private void warmUp(GrpcDependency<?> dependency) {
        GrpcClientProperties.WarmUp settings = dependency.properties().warmUp();
        if (!settings.enabled() || closed) {
            return;
        }
        if (settings.awaitFirst() && attempt(dependency, settings, 1)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
                    if (attempt > 1 || settings.awaitFirst()) {
                        TimeUnit.MILLISECONDS.sleep(settings.pause().toMillis());
                    }
                    if (attempt(dependency, settings, attempt)) {
                        return;
                    }
                }
                log.debug("{} channel not ready after {} warm-up attempts", dependency.name(), settings.attempts());
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
            } finally {
                warmUps.remove(Thread.currentThread());
            }
        }, "grpc-warm-up-" + dependency.name());
        thread.setDaemon(true);
        warmUps.add(thread);
        thread.start();
    }

    private static boolean attempt(GrpcDependency<?> dependency, GrpcClientProperties.WarmUp settings, int attempt) {
        boolean connected = dependency.connect(settings.deadline());
        if (connected) {
            log.debug("{} channel ready after {} warm-up attempt(s)", dependency.name(), attempt);
        }
        return connected;
    }
}
