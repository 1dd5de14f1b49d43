#!/bin/sh
# Starts docker-compose's Kafka as scripts/infra.mjs starts the local one: one KRaft node,
# SASL/SCRAM-SHA-512 on the client listener, the StandardAuthorizer denying whatever no ACL
# allows, User:admin the only super user. The apache/kafka image's own start script takes its
# settings from KAFKA_* variables but has no way to create SCRAM users, which in KRaft must be
# written when the data dir is formatted (kafka-storage format --add-scram); hence this script.
#
# Passwords: KAFKA_<USER>_PASSWORD for admin and each service's user (scripts/secrets.mjs makes
# them; compose passes them from .secrets/local.env). The provision container then grants each
# user its ACLs (packages/platform/src/kafka/acls.ts) as admin.
#
# POSIX sh: the image is not guaranteed to ship bash.
set -eu

KAFKA_HOME="${KAFKA_HOME:-/opt/kafka}"
DATA_DIR="${KAFKA_DATA_DIR:-/var/lib/kafka/data}"
CONFIG_DIR="${KAFKA_CONFIG_DIR:-/tmp/kafka-config}"
HOST="${KAFKA_ADVERTISED_HOST:-kafka}"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
BIND="${KAFKA_BIND_HOST:-}"
USERS="admin ingest features inference gateway orders quant"

password_of() {
  var="KAFKA_$(echo "$1" | tr '[:lower:]' '[:upper:]')_PASSWORD"
  eval "value=\${$var:-}"
  if [ -z "$value" ]; then
    echo "kafka-start: $var is not set (run npm run secrets, then docker compose --env-file .secrets/local.env up)" >&2
    exit 64
  fi
  # Hex, as scripts/secrets.mjs makes them: anything else could break the JAAS and --add-scram syntax.
  case "$value" in
    *[!0-9a-fA-F]*)
      echo "kafka-start: $var must be hex (scripts/secrets.mjs makes it so)" >&2
      exit 64
      ;;
  esac
  printf '%s' "$value"
}

# Checked here, in this shell: a failure inside a later $(...) would not stop the script.
for user in $USERS; do password_of "$user" > /dev/null; done
ADMIN_PASSWORD="$(password_of admin)"
mkdir -p "$CONFIG_DIR" "$DATA_DIR"
umask 077

cat > "$CONFIG_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${HOST}:${CONTROLLER_PORT}
listeners=SASL_PLAINTEXT://${BIND}:${PORT},CONTROLLER://${BIND}:${CONTROLLER_PORT}
advertised.listeners=SASL_PLAINTEXT://${HOST}:${PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="${ADMIN_PASSWORD}" user_admin="${ADMIN_PASSWORD}";
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${ADMIN_PASSWORD}";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin
log.dirs=${DATA_DIR}
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
group.coordinator.append.linger.ms=0
auto.create.topics.enable=false
EOF

# For the health check and for operators inside the container (kafka-*.sh --command-config).
cat > "$CONFIG_DIR/admin.properties" <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${ADMIN_PASSWORD}";
EOF

if [ ! -f "$DATA_DIR/meta.properties" ]; then
  set --
  for user in $USERS; do
    set -- "$@" --add-scram "SCRAM-SHA-512=[name=${user},password=$(password_of "$user")]"
  done
  cluster_id="$("$KAFKA_HOME/bin/kafka-storage.sh" random-uuid)"
  "$KAFKA_HOME/bin/kafka-storage.sh" format -t "$cluster_id" -c "$CONFIG_DIR/server.properties" -g "$@" > /dev/null
fi

exec "$KAFKA_HOME/bin/kafka-server-start.sh" "$CONFIG_DIR/server.properties"
