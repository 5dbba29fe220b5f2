package io.efftrain.jobs.bench;

import io.efftrain.pipeline.run.RunDirectory;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The benchmark's picture: test accuracy against wall seconds, one line per recipe, with the target accuracies
 * as dashed guides. Plain Java2D, so the benchmark needs no plotting library or Python.
 */
final class AccuracyPlot {
    /** One recipe's curve: (seconds, accuracy) points in time order. */
    record Curve(String name, List<double[]> points) {
    }

    private static final int WIDTH = 960;
    private static final int HEIGHT = 560;
    private static final int LEFT = 70;
    private static final int RIGHT = 290;
    private static final int TOP = 56;
    private static final int BOTTOM = 60;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private AccuracyPlot() {
    }

    static void write(Path png, String title, List<Curve> curves, List<Double> targets) {
        System.setProperty("java.awt.headless", "true");
        double maxSeconds = 1;
        List<Double> accuracies = new ArrayList<>();
        for (Curve c : curves) {
            for (double[] p : c.points()) {
                maxSeconds = Math.max(maxSeconds, p[0]);
                accuracies.add(p[1]);
            }
        }
        double yLow = lowerAccuracyBound(accuracies);
        double xHigh = niceCeiling(maxSeconds);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.LIGHT_GRAY);
        for (int i = 0; i <= 5; i++) {
            int x = LEFT + plotW * i / 5;
            int y = TOP + plotH * i / 5;
            g.drawLine(x, TOP, x, TOP + plotH);
            g.drawLine(LEFT, y, LEFT + plotW, y);
        }
        g.setColor(Color.DARK_GRAY);
        for (int i = 0; i <= 5; i++) {
            g.drawString(String.format(Locale.ROOT, "%.0f", xHigh * i / 5), LEFT + plotW * i / 5 - 10,
                    TOP + plotH + 18);
            g.drawString(String.format(Locale.ROOT, "%.2f", 1 - (1 - yLow) * i / 5), LEFT - 40,
                    TOP + plotH * i / 5 + 4);
        }
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("training wall seconds", LEFT + plotW / 2 - 60, HEIGHT - 20);
        g.drawString("test accuracy", 8, TOP - 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 5}, 0));
        for (double target : targets) {
            int y = toY(target, yLow, plotH);
            g.drawLine(LEFT, y, LEFT + plotW, y);
        }
        for (int i = 0; i < curves.size(); i++) {
            Curve curve = curves.get(i);
            g.setColor(PALETTE[i % PALETTE.length]);
            // Once the colours repeat, the line style tells the curves apart.
            g.setStroke(i < PALETTE.length ? new BasicStroke(2) : new BasicStroke(2, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 10, new float[] {8, 4}, 0));
            int[] xs = new int[curve.points().size()];
            int[] ys = new int[curve.points().size()];
            for (int j = 0; j < xs.length; j++) {
                xs[j] = LEFT + (int) Math.round(curve.points().get(j)[0] / xHigh * plotW);
                ys[j] = toY(curve.points().get(j)[1], yLow, plotH);
                g.fillOval(xs[j] - 3, ys[j] - 3, 6, 6);
            }
            g.drawPolyline(xs, ys, xs.length);
            int legendY = TOP + 10 + 20 * i;
            g.drawLine(WIDTH - RIGHT + 15, legendY, WIDTH - RIGHT + 40, legendY);
            g.setColor(Color.BLACK);
            g.drawString(curve.name(), WIDTH - RIGHT + 46, legendY + 4);
        }
        g.dispose();
        // Through a temporary sibling, like every other output, so a reader never sees half a picture.
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        try {
            ImageIO.write(image, "png", tmp.toFile());
            RunDirectory.moveAtomically(tmp, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot " + png, e);
        }
    }

    private static int toY(double accuracy, double yLow, int plotH) {
        double clamped = Math.max(yLow, Math.min(1, accuracy));
        return TOP + (int) Math.round((1 - clamped) / (1 - yLow) * plotH);
    }

    /**
     * The bottom of the accuracy axis: a multiple of 0.05 below the 10th percentile of the points, and never
     * above 0.8 so the targets stay in view. A few far lower points (an assembled model before fine-tuning, the
     * first evaluation) would otherwise squeeze every curve into the top strip; they are drawn on the bottom edge.
     */
    static double lowerAccuracyBound(List<Double> accuracies) {
        if (accuracies.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(accuracies);
        Collections.sort(sorted);
        double tenth = sorted.get(sorted.size() / 10);
        return Math.max(0, Math.min(0.8, Math.floor(tenth * 20) / 20));
    }

    /** 1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten, at least {@code value}: round axis labels. */
    static double niceCeiling(double value) {
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 1.5, 2, 3, 4, 5, 6, 8, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }
}
