# The image conf/k8s-sparkapplication.yaml names (registry.example.com/metals-lake:0.1.0):
# Spark 4.1.3 (Scala 2.13, Java 17) with the application jar at /opt/app/metals-lake.jar.
#   docker build -t registry.example.com/metals-lake:0.1.0 .
# The first stage builds the jar with the Maven wrapper (dependencies from Maven Central); the
# second is the Spark project's own image, so Spark, Hadoop and Scala are the cluster's, and the
# jar adds only the project, Delta and the S3 client (everything Spark ships is `provided`).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package && cp jobs/target/metals-lake.jar /metals-lake.jar

FROM apache/spark:4.1.3-scala2.13-java17-ubuntu
COPY --from=build /metals-lake.jar /opt/app/metals-lake.jar
COPY conf/cluster.conf /opt/app/cluster.conf
# spark-submit's own user in that image; the jar is read-only for it.
USER spark
