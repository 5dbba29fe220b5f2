package io.efftrain.datasets.images;

import io.efftrain.pipeline.error.EfftrainException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import javax.imageio.ImageIO;

/**
 * Decodes one PNG or JPEG file into uint8 values in channel-major order (all of channel 0, then channel 1, ...),
 * the layout DL4J's convolutional input expects. Grey images are read from the raster as they are, so a
 * grey PNG round-trips its bytes exactly.
 *
 * @param height required height
 * @param width required width
 * @param channels 1 (grey) or 3 (RGB)
 * @param resize resize other sizes instead of rejecting them
 */
public record ImageDecoder(int height, int width, int channels, boolean resize) implements Serializable {
    /** Decodes {@code in}; {@code file} names it in errors. */
    public byte[] decode(InputStream in, String file) {
        BufferedImage image;
        try {
            byte[] bytes = in.readAllBytes();
            if (PngIntegrity.isPng(bytes)) {
                PngIntegrity.verify(bytes, file);
            }
            image = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        } catch (EfftrainException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw EfftrainException.badInput(file + ": cannot be decoded as an image (" + e.getMessage()
                    + "); PNG and JPEG are supported.", e);
        }
        if (image == null) {
            throw EfftrainException.badInput(file + ": is not a PNG or JPEG image (no decoder recognised it).");
        }
        if (image.getHeight() != height || image.getWidth() != width) {
            if (!resize) {
                throw EfftrainException.badInput(String.format("%s: is %dx%d (width x height), expected %dx%d "
                        + "(data.images.width x height). Set data.images.resize = true to resize.", file,
                        image.getWidth(), image.getHeight(), width, height));
            }
            image = resized(image);
        }
        return channels == 1 ? grey(image) : rgb(image);
    }

    private BufferedImage resized(BufferedImage image) {
        int type = image.getType() == BufferedImage.TYPE_BYTE_GRAY ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_INT_RGB;
        BufferedImage out = new BufferedImage(width, height, type);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    private byte[] grey(BufferedImage image) {
        byte[] out = new byte[height * width];
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            image.getRaster().getDataElements(0, 0, width, height, out);
            return out;
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                // ITU-R BT.601 luma, the usual grey conversion.
                double luma = 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
                out[y * width + x] = (byte) Math.round(luma);
            }
        }
        return out;
    }

    private byte[] rgb(BufferedImage image) {
        int plane = height * width;
        byte[] out = new byte[3 * plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int at = y * width + x;
                out[at] = (byte) (rgb >> 16);
                out[plane + at] = (byte) (rgb >> 8);
                out[2 * plane + at] = (byte) rgb;
            }
        }
        return out;
    }
}
