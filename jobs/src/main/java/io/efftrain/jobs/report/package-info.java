/**
 * report.html for run directories: plots drawn with XChart from summary.json, metrics.jsonl and manifest.json,
 * inlined as data URIs so the page is one file that can be mailed, archived or opened from a shared disk.
 */
package io.efftrain.jobs.report;
