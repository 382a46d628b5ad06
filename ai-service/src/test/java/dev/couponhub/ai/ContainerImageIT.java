package dev.couponhub.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.couponhub.testsupport.ApiClient;
import dev.couponhub.testsupport.ContainerImage;
import dev.couponhub.testsupport.JibImage;
import dev.couponhub.testsupport.ServiceImageAssertions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The image Jib built into {@code target/jib-image.tar} during {@code pre-integration-test} (on the offline base of
 * {@code deploy/image/build-base-image.sh}): its configuration is what the deployments expect, and it runs. The
 * layers are unpacked into a directory and the entrypoint is started there with chroot, as the image's user,
 * in its own PID and mount namespace ({@link ContainerImage}); the image's own health check command must then report
 * it ready. ai-service needs no server of its own: without a model and with coupon-service unreachable it answers
 * with the fallback ranking.
 */
class ContainerImageIT {

    private static final Path TARGET = JibImage.TARGET;

    @RegisterExtension
    static final JibImage IMAGE = new JibImage();

    @Test
    void imageRunsTheServiceAsNonRootUserWithContainerMemoryFlagsItsPortLayersAndHealthCheck() throws IOException {
        ServiceImageAssertions.assertServiceImage(IMAGE.get(), "dev.couponhub.ai.AiServiceApplication", 8086);
    }

    @Test
    void entrypointStartsTheServiceAndTheHealthCheckSeesItReady() throws Exception {
        int port = ContainerImage.freePort();
        Map<String, String> env = Map.of(
                "SERVER_PORT", Integer.toString(port),
                "AWS_REGION", "us-east-1",
                "LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs",
                "COUPON_SERVICE_GRPC_ADDRESS", "static://127.0.0.1:" + ContainerImage.freePort());
        try (ContainerImage.Service service = ServiceImageAssertions.startReady(IMAGE.get(), env, port,
                TARGET.resolve("container-image-it.log"))) {
            ApiClient.Response docs = new ApiClient(port).get("/v3/api-docs");
            assertThat(docs.status()).isEqualTo(200);
            assertThat(docs.body()).contains("/api/v1/recommendations");
        }
    }
}
