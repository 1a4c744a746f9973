// A segmentio/kafka-go client for test/server/go-clients.test.ts, built against Debian's
// golang-github-segmentio-kafka-go-dev (0.2.1). That version never sends ApiVersions and pins its
// request versions: Metadata v1, ListOffsets v1 and CreateTopics v0 on a Conn, Produce v2 and
// Fetch v2 for records. Each subcommand prints one JSON object a line, or the error on stderr and
// exits 1.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	kafka "github.com/segmentio/kafka-go"
)

var out = json.NewEncoder(os.Stdout)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "kafka-go-client: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	broker := flag.String("broker", "", "host:port")
	topic := flag.String("topic", "", "")
	partition := flag.Int("partition", 0, "")
	flag.Parse()
	var conn *kafka.Conn
	var err error
	if flag.Arg(0) == "partitions" || flag.Arg(0) == "create-topic" {
		conn, err = kafka.Dial("tcp", *broker)
	} else {
		conn, err = kafka.DialLeader(context.Background(), "tcp", *broker, *topic, *partition)
	}
	if err != nil {
		fail("dial: %v", err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	switch flag.Arg(0) {
	case "partitions": // Metadata v1
		ps, err := conn.ReadPartitions(*topic)
		if err != nil {
			fail("read partitions: %v", err)
		}
		sort.Slice(ps, func(a, b int) bool { return ps[a].ID < ps[b].ID })
		for _, p := range ps {
			out.Encode(map[string]interface{}{"topic": p.Topic, "partition": p.ID, "leader": p.Leader.ID, "replicas": len(p.Replicas), "isr": len(p.Isr)})
		}
	case "offsets": // ListOffsets v1
		first, last, err := conn.ReadOffsets()
		if err != nil {
			fail("read offsets: %v", err)
		}
		out.Encode(map[string]interface{}{"first": first, "last": last})
	case "create-topic": // CreateTopics v0
		err := conn.CreateTopics(kafka.TopicConfig{Topic: *topic, NumPartitions: 1, ReplicationFactor: 1})
		if err != nil {
			fail("create topics: %v", err)
		}
		out.Encode(map[string]interface{}{"created": *topic})
	case "produce": // Produce v2
		if _, err := conn.WriteMessages(kafka.Message{Key: []byte("k"), Value: []byte("v")}); err != nil {
			fail("write messages: %v", err)
		}
		out.Encode(map[string]interface{}{"produced": 1})
	case "fetch": // Fetch v2
		m, err := conn.ReadMessage(1 << 20)
		if err != nil {
			fail("read message: %v", err)
		}
		out.Encode(map[string]interface{}{"offset": m.Offset, "value": string(m.Value)})
	default:
		fail("unknown command %q", flag.Arg(0))
	}
}
