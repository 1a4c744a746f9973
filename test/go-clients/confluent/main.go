// A confluent-kafka-go client for test/server/go-clients.test.ts, built against Debian's
// golang-github-confluentinc-confluent-kafka-go-dev (0.11.6) over the system librdkafka (which
// picks every request version from our ApiVersions answer). One JSON object a line on stdout;
// errors on stderr and exit 1.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/confluentinc/confluent-kafka-go/kafka"
)

var out = json.NewEncoder(os.Stdout)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "confluent-client: "+format+"\n", args...)
	os.Exit(1)
}

func base(brokers string) kafka.ConfigMap {
	return kafka.ConfigMap{"bootstrap.servers": brokers, "client.id": "kafkit-go-confluent", "broker.address.family": "v4"}
}

// produce sends -count records with acks=all; record i goes to partition i % -partitions.
func produce(brokers string, args []string) {
	fs := flag.NewFlagSet("produce", flag.ExitOnError)
	topic := fs.String("topic", "", "")
	count := fs.Int("count", 10, "")
	partitions := fs.Int("partitions", 1, "")
	comp := fs.String("compression", "none", "")
	prefix := fs.String("prefix", "v", "")
	idempotent := fs.Bool("idempotent", false, "")
	fs.Parse(args)
	c := base(brokers)
	c["acks"] = "all"
	c["compression.codec"] = *comp
	c["linger.ms"] = 20
	c["enable.idempotence"] = *idempotent
	p, err := kafka.NewProducer(&c)
	if err != nil {
		fail("producer: %v", err)
	}
	defer p.Close()
	done := make(chan kafka.Event, *count)
	for i := 0; i < *count; i++ {
		err := p.Produce(&kafka.Message{
			TopicPartition: kafka.TopicPartition{Topic: topic, Partition: int32(i % *partitions)},
			Key:            []byte(fmt.Sprintf("k%d", i)),
			Value:          []byte(fmt.Sprintf("%s-%d", *prefix, i)),
			Headers:        []kafka.Header{{Key: "h", Value: []byte(fmt.Sprintf("%d", i))}},
		}, done)
		if err != nil {
			fail("produce: %v", err)
		}
	}
	got := []*kafka.Message{}
	for len(got) < *count {
		m := (<-done).(*kafka.Message)
		if m.TopicPartition.Error != nil {
			fail("delivery: %v", m.TopicPartition.Error)
		}
		got = append(got, m)
	}
	sort.SliceStable(got, func(a, b int) bool {
		if got[a].TopicPartition.Partition != got[b].TopicPartition.Partition {
			return got[a].TopicPartition.Partition < got[b].TopicPartition.Partition
		}
		return got[a].TopicPartition.Offset < got[b].TopicPartition.Offset
	})
	for _, m := range got {
		out.Encode(map[string]interface{}{"partition": m.TopicPartition.Partition, "offset": m.TopicPartition.Offset, "value": string(m.Value)})
	}
}

func record(m *kafka.Message) map[string]interface{} {
	headers := []string{}
	for _, h := range m.Headers {
		headers = append(headers, h.Key+"="+string(h.Value))
	}
	return map[string]interface{}{"partition": m.TopicPartition.Partition, "offset": m.TopicPartition.Offset, "key": string(m.Key), "value": string(m.Value), "headers": strings.Join(headers, ",")}
}

// consume assigns every partition of -topic from the beginning and prints -count records.
func consume(brokers string, args []string) {
	fs := flag.NewFlagSet("consume", flag.ExitOnError)
	topic := fs.String("topic", "", "")
	count := fs.Int("count", 10, "")
	fs.Parse(args)
	c := base(brokers)
	c["group.id"] = "unused-assign-only"
	c["enable.auto.commit"] = false
	consumer, err := kafka.NewConsumer(&c)
	if err != nil {
		fail("consumer: %v", err)
	}
	defer consumer.Close()
	md, err := consumer.GetMetadata(topic, false, 10000)
	if err != nil {
		fail("metadata: %v", err)
	}
	tps := []kafka.TopicPartition{}
	for _, p := range md.Topics[*topic].Partitions {
		tps = append(tps, kafka.TopicPartition{Topic: topic, Partition: p.ID, Offset: kafka.OffsetBeginning})
	}
	if err := consumer.Assign(tps); err != nil {
		fail("assign: %v", err)
	}
	for n := 0; n < *count; {
		m, err := consumer.ReadMessage(20 * time.Second)
		if err != nil {
			fail("read: %v", err)
		}
		out.Encode(record(m))
		n++
	}
}

// member subscribes as a member of -group and prints each assignment and record; offsets are
// committed by auto-commit and on close. On SIGTERM it closes (leaving the group) and exits 0.
func member(brokers string, args []string) {
	fs := flag.NewFlagSet("member", flag.ExitOnError)
	topic := fs.String("topic", "", "")
	group := fs.String("group", "", "")
	strategy := fs.String("strategy", "range", "")
	fs.Parse(args)
	c := base(brokers)
	c["group.id"] = *group
	c["auto.offset.reset"] = "earliest"
	c["auto.commit.interval.ms"] = 200
	c["partition.assignment.strategy"] = *strategy
	c["go.application.rebalance.enable"] = true
	consumer, err := kafka.NewConsumer(&c)
	if err != nil {
		fail("consumer: %v", err)
	}
	if err := consumer.SubscribeTopics([]string{*topic}, nil); err != nil {
		fail("subscribe: %v", err)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	for {
		select {
		case <-sig:
			if err := consumer.Close(); err != nil {
				fail("close: %v", err)
			}
			out.Encode(map[string]interface{}{"event": "closed"})
			return
		default:
		}
		switch e := consumer.Poll(100).(type) {
		case kafka.AssignedPartitions:
			ps := []int32{}
			for _, tp := range e.Partitions {
				ps = append(ps, tp.Partition)
			}
			sort.Slice(ps, func(a, b int) bool { return ps[a] < ps[b] })
			consumer.Assign(e.Partitions)
			out.Encode(map[string]interface{}{"event": "assigned", "partitions": ps})
		case kafka.RevokedPartitions:
			consumer.Unassign()
			out.Encode(map[string]interface{}{"event": "revoked"})
		case *kafka.Message:
			r := record(e)
			r["event"] = "record"
			out.Encode(r)
		case kafka.Error:
			fmt.Fprintf(os.Stderr, "confluent-client: %v\n", e)
		}
	}
}

func admin(brokers string, args []string) {
	fs := flag.NewFlagSet("admin", flag.ExitOnError)
	topic := fs.String("topic", "", "")
	partitions := fs.Int("partitions", 1, "")
	fs.Parse(args)
	c := base(brokers)
	a, err := kafka.NewAdminClient(&c)
	if err != nil {
		fail("admin: %v", err)
	}
	defer a.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var results []kafka.TopicResult
	switch fs.Arg(0) {
	case "create-topic":
		results, err = a.CreateTopics(ctx, []kafka.TopicSpecification{{Topic: *topic, NumPartitions: *partitions, ReplicationFactor: 1}})
	case "delete-topic":
		results, err = a.DeleteTopics(ctx, []string{*topic})
	case "create-partitions":
		results, err = a.CreatePartitions(ctx, []kafka.PartitionsSpecification{{Topic: *topic, IncreaseTo: *partitions}})
	case "list-topics":
		md, err := a.GetMetadata(nil, true, 10000)
		if err != nil {
			fail("metadata: %v", err)
		}
		names := []string{}
		for name := range md.Topics {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			out.Encode(map[string]interface{}{"topic": name, "partitions": len(md.Topics[name].Partitions)})
		}
		return
	case "describe-config":
		rs, err := a.DescribeConfigs(ctx, []kafka.ConfigResource{{Type: kafka.ResourceTopic, Name: *topic}})
		if err != nil {
			fail("describe configs: %v", err)
		}
		for _, r := range rs {
			e := r.Config["cleanup.policy"]
			out.Encode(map[string]interface{}{"name": r.Name, "error": r.Error.Code().String(), "cleanup.policy": e.Value, "source": e.Source.String()})
		}
		return
	default:
		fail("unknown admin call %q", fs.Arg(0))
	}
	if err != nil {
		fail("%s: %v", fs.Arg(0), err)
	}
	for _, r := range results {
		out.Encode(map[string]interface{}{"topic": r.Topic, "error": r.Error.Code().String()})
	}
}

func main() {
	brokers := flag.String("brokers", "", "comma-separated host:port list")
	flag.Parse()
	if flag.NArg() < 1 || *brokers == "" {
		fail("usage: confluent-client -brokers h:p[,h:p] produce|consume|member|admin [flags]")
	}
	rest := flag.Args()[1:]
	switch flag.Arg(0) {
	case "produce":
		produce(*brokers, rest)
	case "consume":
		consume(*brokers, rest)
	case "member":
		member(*brokers, rest)
	case "admin":
		admin(*brokers, rest)
	default:
		fail("unknown command %q", flag.Arg(0))
	}
}
