package io.efftrain.datasets.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.datasets.prepare.TestSources;
import io.efftrain.pipeline.testing.LocalSpark;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Colour and size handling of the image-folder source: RGB kept channel-major, grey conversion, resizing. */
class ImageFolderTest {
    @TempDir
    Path dir;

    /** Two classes of 32x32 images: a red square in "red" (PNG), a blue one in "blue" (JPEG). */
    private Path writeColourImages() throws IOException {
        Path root = dir.resolve("colours");
        for (String name : List.of("red", "blue")) {
            Files.createDirectories(root.resolve(name));
            for (int i = 0; i < 3; i++) {
                BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                g.setColor(name.equals("red") ? Color.RED : Color.BLUE);
                g.fillRect(0, 0, 32, 32);
                g.setColor(Color.WHITE);
                g.fillRect(i, i, 2, 2); // distinct images, so ids differ
                g.dispose();
                String format = name.equals("red") ? "png" : "jpg";
                ImageIO.write(image, format, root.resolve(name).resolve(i + "." + format).toFile());
            }
        }
        return root;
    }

    @Test
    void rgbImagesAreResizedAndStoredChannelMajor() throws IOException {
        Path root = writeColourImages();
        TableManifest manifest = TestSources.prepare(dir.resolve("rgb"), "data.source=images",
                "data.images.train=\"" + root + "\"", "data.images.channels=3", "data.images.resize=true",
                "data.class-names=null", "data.split.test=0");
        assertArrayEquals(new int[] {3, 28, 28}, manifest.shape());
        assertEquals(List.of("blue", "red"), manifest.classNames(), "sorted sub-folder names become the classes");
        for (Row row : LocalSpark.session().read().parquet(dir.resolve("rgb").toUri().toString()).collectAsList()) {
            byte[] f = row.getAs(CanonicalLayout.FEATURES);
            assertEquals(3 * 28 * 28, f.length);
            int corner = 27 * 28 + 27; // far from the white mark
            int red = f[corner] & 0xFF;
            int blue = f[2 * 784 + corner] & 0xFF;
            boolean isRed = (int) row.getAs(CanonicalLayout.LABEL) == 1;
            assertEquals(isRed ? 255 : 0, red, 8);
            assertEquals(isRed ? 0 : 255, blue, 8);
        }
    }

    @Test
    void colourImagesBecomeGreyLuminance() throws IOException {
        Path root = writeColourImages();
        TestSources.prepare(dir.resolve("grey"), "data.source=images", "data.images.train=\"" + root + "\"",
                "data.images.resize=true", "data.class-names=[red, blue]", "data.split.test=0");
        for (Row row : LocalSpark.session().read().parquet(dir.resolve("grey").toUri().toString()).collectAsList()) {
            byte[] f = row.getAs(CanonicalLayout.FEATURES);
            assertEquals(784, f.length);
            boolean isRed = (int) row.getAs(CanonicalLayout.LABEL) == 0;
            // BT.601: red 0.299 x 255 = 76, blue 0.114 x 255 = 29.
            assertEquals(isRed ? 76 : 29, f[27 * 28 + 27] & 0xFF, 6);
        }
    }
}
