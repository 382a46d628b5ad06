package dev.couponhub.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The module's own image, {@code target/jib-image.tar} (built by Jib in {@code pre-integration-test}), unpacked for
 * one test class ({@link ContainerImage#unpack}) and removed after it: a {@code static} field of the class with
 * {@code @RegisterExtension}.
 */
public final class JibImage implements BeforeAllCallback, AfterAllCallback {

    /** The module's build directory, where the tar is and the image is unpacked. */
    public static final Path TARGET = Path.of("target").toAbsolutePath();

    private ContainerImage image;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path tar = TARGET.resolve("jib-image.tar");
        assertThat(tar).as("the image tar Jib builds in pre-integration-test").isRegularFile();
        image = ContainerImage.unpack(tar, TARGET);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (image != null) {
            image.close();
            image = null;
        }
    }

    /** The unpacked image, for the tests of the class. */
    public ContainerImage get() {
        if (image == null) {
            throw new IllegalStateException("the image is unpacked before the class's tests and removed after them");
        }
        return image;
    }
}
