// What a spark-shell user types (spark-shell --jars efftrain.jar); SparkShellIT fills in the @...@ paths.
import io.efftrain.jobs.Efftrain
val job = Efftrain.config("@CONFIG@", "data.train-limit=3000", "data.test-limit=500", "train.budget.epochs=2", "model.lenet.conv1-channels=8", "model.lenet.conv2-channels=16", "model.lenet.dense-units=64")
val table = job.prepare(spark, "@TABLE@")
val counts = table.countsBySplit.orderBy("split").collect.map(r => r.getString(0) + "=" + r.getLong(1)).mkString(",")
println(s"EFFTRAIN-PREPARED $counts")
val run = job.run(spark, "@RUN@")
val rounds = run.metrics.count
val workers = run.summary.select("training.workers").first.getLong(0)
val scored = run.classifier.transform(run.data.split("test"))
val transformerAccuracy = scored.where("prediction = label").count / 500.0
println(f"EFFTRAIN-RUN accuracy=${run.testAccuracy}%.4f transformer_accuracy=$transformerAccuracy%.4f rounds=$rounds workers=$workers")
:quit
