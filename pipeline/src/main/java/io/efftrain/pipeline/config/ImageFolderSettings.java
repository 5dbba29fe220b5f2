package io.efftrain.pipeline.config;

import java.io.Serializable;

/**
 * An image-folder source: each split is a directory with one sub-folder per class holding PNG or JPEG files.
 *
 * @param paths train and test directories
 * @param height every image's height in pixels
 * @param width every image's width in pixels
 * @param channels 1 (grey; colour images are converted) or 3 (RGB; grey images are replicated)
 * @param resize resize images of another size instead of rejecting them
 */
public record ImageFolderSettings(SplitPaths paths, int height, int width, int channels, boolean resize)
        implements Serializable {
    static ImageFolderSettings read(ConfigReader c) {
        int channels = c.positiveInt("channels");
        if (channels != 1 && channels != 3) {
            throw c.invalid("channels", "1 (grey) or 3 (RGB)", String.valueOf(channels));
        }
        return new ImageFolderSettings(SplitPaths.read(c), c.positiveInt("height"), c.positiveInt("width"),
                channels, c.bool("resize"));
    }
}
