# Kafka: one KRaft node that is broker and controller at once. Sourced by dev/infra.sh.
# kafka_up DIR PORT CONTROLLER_PORT | kafka_down DIR | kafka_pid DIR | kafka_endpoint DIR

KAFKA_VERSION=${LIFEBOAT_KAFKA_VERSION:-4.1.1}

kafka_fetch() {
  local lib="$LIFEBOAT_CACHE/kafka-$KAFKA_VERSION/lib"
  maven_fetch "$lib" "org.apache.kafka:kafka_2.13:$KAFKA_VERSION" \
    org.apache.logging.log4j:log4j-slf4j-impl:2.24.3
  printf '%s\n' "$lib"
}

kafka_pid() { live_pid "$1/kafka.pid"; }
kafka_endpoint() { printf '127.0.0.1:%s\n' "$(cat "$1/port" 2>/dev/null || echo '?')"; }

kafka_healthy() { # DIR PORT
  port_open "$2" && grep -q 'Kafka Server started' "$1/kafka.log" 2>/dev/null
}

kafka_up() {
  local dir=$1 port=$2 cport=$3
  mkdir -p "$dir/data"
  if kafka_pid "$dir" >/dev/null; then
    if await 60 kafka_healthy "$dir" "$port"; then kafka_env "$dir" "$port" "$cport"; return 0; fi
    die "kafka runs (pid $(kafka_pid "$dir")) but is not healthy; see $dir/kafka.log"
  fi
  port_open "$port" && die "kafka: port $port is taken by another process (set LIFEBOAT_KAFKA_PORT); see $dir/kafka.log"
  port_open "$cport" && die "kafka: controller port $cport is taken by another process (set LIFEBOAT_KAFKA_CONTROLLER_PORT)"
  local lib java
  lib=$(kafka_fetch); java=$(java_bin)
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
  cat >"$dir/log4j2.properties" <<'PROPS'
status = error
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = out
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.state.name = state.change.logger
logger.state.level = WARN
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
logger.broker.name = kafka.server.BrokerServer
logger.broker.level = INFO
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
PROPS
  printf '%s\n' "$port" >"$dir/port"
  [[ -f "$dir/kafka.log" ]] && mv -f "$dir/kafka.log" "$dir/kafka.log.1"
  local jvm=(-Xmx256m -Xms256m -XX:+UseG1GC -Djava.awt.headless=true
             "-Dlog4j2.configurationFile=$dir/log4j2.properties" -cp "$lib/*")
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    local id
    id=$("$java" "${jvm[@]}" kafka.tools.StorageTool random-uuid 2>>"$dir/kafka.log") \
      || die "kafka: could not make a cluster id; see $dir/kafka.log"
    "$java" "${jvm[@]}" kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" \
      >>"$dir/kafka.log" 2>&1 || die "kafka: storage format failed; see $dir/kafka.log"
  fi
  spawn "$dir/kafka.pid" "$dir/kafka.log" "$java" "${jvm[@]}" kafka.Kafka "$dir/server.properties"
  await 90 kafka_healthy "$dir" "$port" || die "kafka did not become healthy on 127.0.0.1:$port; see $dir/kafka.log"
  kafka_env "$dir" "$port" "$cport"
}

kafka_env() {
  cat >"$1/env" <<ENV
export LIFEBOAT_KAFKA_BOOTSTRAP=127.0.0.1:$2
export LIFEBOAT_KAFKA_CONTROLLER=127.0.0.1:$3
ENV
}

kafka_down() { stop_pidfile "$1/kafka.pid" 30; }
