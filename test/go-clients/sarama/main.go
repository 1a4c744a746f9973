// A Sarama client for test/server/go-clients.test.ts: each subcommand does one thing against the
// brokers given by -brokers and prints one JSON object a line on stdout (errors on stderr, exit 1).
// Built with GOPATH=/usr/share/gocode GO111MODULE=off against Debian's golang-github-shopify-sarama-dev.
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
	"sync"
	"syscall"
	"time"

	"github.com/Shopify/sarama"
)

var out = json.NewEncoder(os.Stdout)
var outMu sync.Mutex

func emit(v map[string]interface{}) {
	outMu.Lock()
	defer outMu.Unlock()
	out.Encode(v)
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "sarama-client: "+format+"\n", args...)
	os.Exit(1)
}

func config() *sarama.Config {
	c := sarama.NewConfig()
	// Kafka 4.x (and kafka-server-start) refuse Produce < v3 and Fetch < v4: 2.1 is the newest this
	// Sarama knows whose requests it encodes fully.
	c.Version = sarama.V2_1_0_0
	c.ClientID = "kafkit-go-sarama"
	c.Metadata.Retry.Backoff = 200 * time.Millisecond
	return c
}

func codec(name string) sarama.CompressionCodec {
	switch name {
	case "none", "":
		return sarama.CompressionNone
	case "gzip":
		return sarama.CompressionGZIP
	case "snappy":
		return sarama.CompressionSnappy
	case "lz4":
		return sarama.CompressionLZ4
	case "zstd":
		return sarama.CompressionZSTD
	}
	fail("unknown codec %s", name)
	return 0
}

// produce sends -count records with acks=all; record i goes to partition i % -partitions, in one
// batch per partition when -batch, and prints where each landed.
func produce(brokers []string, args []string) {
	fs := flag.NewFlagSet("produce", flag.ExitOnError)
	topic := fs.String("topic", "", "")
	count := fs.Int("count", 10, "")
	partitions := fs.Int("partitions", 1, "")
	comp := fs.String("compression", "none", "")
	prefix := fs.String("prefix", "v", "")
	fs.Parse(args)
	c := config()
	c.Producer.RequiredAcks = sarama.WaitForAll
	c.Producer.Return.Successes = true
	c.Producer.Partitioner = sarama.NewManualPartitioner
	c.Producer.Compression = codec(*comp)
	c.Producer.Flush.Messages = *count
	c.Producer.Flush.Frequency = 50 * time.Millisecond
	p, err := sarama.NewAsyncProducer(brokers, c)
	if err != nil {
		fail("producer: %v", err)
	}
	for i := 0; i < *count; i++ {
		p.Input() <- &sarama.ProducerMessage{
			Topic:     *topic,
			Partition: int32(i % *partitions),
			Key:       sarama.StringEncoder(fmt.Sprintf("k%d", i)),
			Value:     sarama.StringEncoder(fmt.Sprintf("%s-%d", *prefix, i)),
			Headers:   []sarama.RecordHeader{{Key: []byte("h"), Value: []byte(fmt.Sprintf("%d", i))}},
		}
	}
	got := make([]map[string]interface{}, 0, *count)
	for len(got) < *count {
		select {
		case m := <-p.Successes():
			v, _ := m.Value.Encode()
			got = append(got, map[string]interface{}{"partition": m.Partition, "offset": m.Offset, "value": string(v)})
		case e := <-p.Errors():
			fail("produce: %v", e.Err)
		}
	}
	p.Close()
	// Successes arrive per partition in order, partitions interleaved: sort for a stable output.
	sort.SliceStable(got, func(a, b int) bool {
		pa, pb := got[a]["partition"].(int32), got[b]["partition"].(int32)
		if pa != pb {
			return pa < pb
		}
		return got[a]["offset"].(int64) < got[b]["offset"].(int64)
	})
	for _, g := range got {
		emit(g)
	}
}

// consume reads every partition of -topic from the oldest offset until -count records came, and
// prints them as they arrive (in order within a partition).
func consume(brokers []string, args []string) {
	fs := flag.NewFlagSet("consume", flag.ExitOnError)
	topic := fs.String("topic", "", "")
	count := fs.Int("count", 10, "")
	fs.Parse(args)
	client, err := sarama.NewClient(brokers, config())
	if err != nil {
		fail("client: %v", err)
	}
	defer client.Close()
	consumer, err := sarama.NewConsumerFromClient(client)
	if err != nil {
		fail("consumer: %v", err)
	}
	parts, err := consumer.Partitions(*topic)
	if err != nil {
		fail("partitions: %v", err)
	}
	msgs := make(chan *sarama.ConsumerMessage)
	for _, p := range parts {
		pc, err := consumer.ConsumePartition(*topic, p, sarama.OffsetOldest)
		if err != nil {
			fail("consume partition %d: %v", p, err)
		}
		go func(pc sarama.PartitionConsumer) {
			for m := range pc.Messages() {
				msgs <- m
			}
		}(pc)
		go func(pc sarama.PartitionConsumer) {
			for e := range pc.Errors() {
				fail("partition %d: %v", e.Partition, e.Err)
			}
		}(pc)
	}
	for i := 0; i < *count; i++ {
		m := <-msgs
		emit(record(m))
	}
}

func record(m *sarama.ConsumerMessage) map[string]interface{} {
	headers := []string{}
	for _, h := range m.Headers {
		headers = append(headers, string(h.Key)+"="+string(h.Value))
	}
	return map[string]interface{}{"partition": m.Partition, "offset": m.Offset, "key": string(m.Key), "value": string(m.Value), "headers": strings.Join(headers, ",")}
}

type handler struct{}

func (handler) Setup(s sarama.ConsumerGroupSession) error {
	claims := []int32{}
	for _, ps := range s.Claims() {
		claims = append(claims, ps...)
	}
	sort.Slice(claims, func(a, b int) bool { return claims[a] < claims[b] })
	emit(map[string]interface{}{"event": "assigned", "generation": s.GenerationID(), "partitions": claims})
	return nil
}

func (handler) Cleanup(s sarama.ConsumerGroupSession) error { return nil }

func (handler) ConsumeClaim(s sarama.ConsumerGroupSession, c sarama.ConsumerGroupClaim) error {
	for m := range c.Messages() {
		r := record(m)
		r["event"] = "record"
		emit(r)
		s.MarkMessage(m, "")
	}
	return nil
}

// member joins -group, prints each assignment and record, and marks every record consumed; on
// SIGTERM it leaves the group, committing what it marked, prints "closed" and exits 0.
func member(brokers []string, args []string) {
	fs := flag.NewFlagSet("member", flag.ExitOnError)
	topic := fs.String("topic", "", "")
	group := fs.String("group", "", "")
	strategy := fs.String("strategy", "range", "")
	fs.Parse(args)
	c := config()
	c.Consumer.Offsets.Initial = sarama.OffsetOldest
	c.Consumer.Offsets.CommitInterval = 200 * time.Millisecond
	// With a retention time Sarama 1.22 commits with OffsetCommit v2; without one it sends v1,
	// which Kafka 4 removed (KIP-896) and refuses by closing the connection, as kafkit does.
	c.Consumer.Offsets.Retention = 24 * time.Hour
	c.Consumer.Return.Errors = true
	switch *strategy {
	case "range":
		c.Consumer.Group.Rebalance.Strategy = sarama.BalanceStrategyRange
	case "roundrobin":
		c.Consumer.Group.Rebalance.Strategy = sarama.BalanceStrategyRoundRobin
	default:
		fail("unknown strategy %s", *strategy)
	}
	g, err := sarama.NewConsumerGroup(brokers, *group, c)
	if err != nil {
		fail("consumer group: %v", err)
	}
	go func() {
		for e := range g.Errors() {
			fmt.Fprintf(os.Stderr, "sarama-client: group error: %v\n", e)
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-sig
		cancel()
	}()
	for ctx.Err() == nil {
		if err := g.Consume(ctx, []string{*topic}, handler{}); err != nil {
			fail("consume: %v", err)
		}
	}
	if err := g.Close(); err != nil {
		fail("close: %v", err)
	}
	emit(map[string]interface{}{"event": "closed"})
}

// admin runs one ClusterAdmin call and prints its result.
func admin(brokers []string, args []string) {
	fs := flag.NewFlagSet("admin", flag.ExitOnError)
	topic := fs.String("topic", "", "")
	partitions := fs.Int("partitions", 1, "")
	group := fs.String("group", "", "")
	fs.Parse(args)
	a, err := sarama.NewClusterAdmin(brokers, config())
	if err != nil {
		fail("admin: %v", err)
	}
	defer a.Close()
	switch fs.Arg(0) {
	case "create-topic":
		err = a.CreateTopic(*topic, &sarama.TopicDetail{NumPartitions: int32(*partitions), ReplicationFactor: 1, ConfigEntries: map[string]*string{}}, false)
		if err != nil {
			fail("create topic: %v", err)
		}
		emit(map[string]interface{}{"created": *topic})
	case "delete-topic":
		if err = a.DeleteTopic(*topic); err != nil {
			fail("delete topic: %v", err)
		}
		emit(map[string]interface{}{"deleted": *topic})
	case "list-topics":
		topics, err := a.ListTopics()
		if err != nil {
			fail("list topics: %v", err)
		}
		names := []string{}
		for name := range topics {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			emit(map[string]interface{}{"topic": name, "partitions": topics[name].NumPartitions, "replicationFactor": topics[name].ReplicationFactor})
		}
	case "describe-topic":
		md, err := a.DescribeTopics([]string{*topic})
		if err != nil {
			fail("describe topics: %v", err)
		}
		for _, t := range md {
			ps := []map[string]interface{}{}
			for _, p := range t.Partitions {
				ps = append(ps, map[string]interface{}{"partition": p.ID, "leader": p.Leader, "replicas": len(p.Replicas), "isr": len(p.Isr)})
			}
			sort.Slice(ps, func(a, b int) bool { return ps[a]["partition"].(int32) < ps[b]["partition"].(int32) })
			emit(map[string]interface{}{"topic": t.Name, "error": int16(t.Err), "partitions": ps})
		}
	case "create-partitions":
		if err = a.CreatePartitions(*topic, int32(*partitions), nil, false); err != nil {
			fail("create partitions: %v", err)
		}
		emit(map[string]interface{}{"partitions": *partitions})
	case "list-groups":
		groups, err := a.ListConsumerGroups()
		if err != nil {
			fail("list groups: %v", err)
		}
		for name, protocolType := range groups {
			emit(map[string]interface{}{"group": name, "protocolType": protocolType})
		}
	case "describe-group":
		ds, err := a.DescribeConsumerGroups([]string{*group})
		if err != nil {
			fail("describe groups: %v", err)
		}
		for _, d := range ds {
			members := []map[string]interface{}{}
			for _, m := range d.Members {
				a, err := m.GetMemberAssignment()
				if err != nil {
					fail("member assignment: %v", err)
				}
				md, err := m.GetMemberMetadata()
				if err != nil {
					fail("member metadata: %v", err)
				}
				members = append(members, map[string]interface{}{"clientId": m.ClientId, "topics": md.Topics, "assignment": a.Topics})
			}
			emit(map[string]interface{}{"group": d.GroupId, "error": int16(d.Err), "state": d.State, "protocolType": d.ProtocolType, "protocol": d.Protocol, "members": members})
		}
	case "group-offsets":
		r, err := a.ListConsumerGroupOffsets(*group, map[string][]int32{*topic: seq(*partitions)})
		if err != nil {
			fail("group offsets: %v", err)
		}
		for p := int32(0); p < int32(*partitions); p++ {
			b := r.GetBlock(*topic, p)
			emit(map[string]interface{}{"partition": p, "offset": b.Offset, "error": int16(b.Err)})
		}
	default:
		fail("unknown admin call %q", fs.Arg(0))
	}
}

func seq(n int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = int32(i)
	}
	return s
}

// ride produces -count "before-i" records to partition 0 with acks=all, waits for a line on stdin
// (the test kills the leader then), produces -count "after-i" with the same producer, which knew
// the dead leader, then reads partition 0 from the oldest offset.
func ride(brokers []string, args []string) {
	fs := flag.NewFlagSet("ride", flag.ExitOnError)
	topic := fs.String("topic", "", "")
	count := fs.Int("count", 50, "")
	fs.Parse(args)
	c := config()
	c.Producer.RequiredAcks = sarama.WaitForAll
	c.Producer.Return.Successes = true
	c.Producer.Partitioner = sarama.NewManualPartitioner
	c.Producer.Retry.Max = 60
	c.Producer.Retry.Backoff = 250 * time.Millisecond
	c.Metadata.Retry.Max = 60
	c.Metadata.Retry.Backoff = 250 * time.Millisecond
	client, err := sarama.NewClient(brokers, c)
	if err != nil {
		fail("client: %v", err)
	}
	defer client.Close()
	p, err := sarama.NewSyncProducerFromClient(client)
	if err != nil {
		fail("producer: %v", err)
	}
	send := func(phase string) {
		msgs := []*sarama.ProducerMessage{}
		for i := 0; i < *count; i++ {
			msgs = append(msgs, &sarama.ProducerMessage{Topic: *topic, Partition: 0, Value: sarama.StringEncoder(fmt.Sprintf("%s-%d", phase, i))})
		}
		if err := p.SendMessages(msgs); err != nil {
			fail("send %s: %v", phase, err)
		}
		emit(map[string]interface{}{"acked": phase, "count": len(msgs)})
	}
	send("before")
	buf := make([]byte, 1)
	os.Stdin.Read(buf)
	send("after")
	consumer, err := sarama.NewConsumerFromClient(client)
	if err != nil {
		fail("consumer: %v", err)
	}
	pc, err := consumer.ConsumePartition(*topic, 0, sarama.OffsetOldest)
	if err != nil {
		fail("consume: %v", err)
	}
	values := []string{}
	for len(values) < 2**count {
		select {
		case m := <-pc.Messages():
			values = append(values, string(m.Value))
		case e := <-pc.Errors():
			fail("consume: %v", e.Err)
		}
	}
	emit(map[string]interface{}{"consumed": values})
}

func main() {
	brokers := flag.String("brokers", "", "comma-separated host:port list")
	flag.Parse()
	if flag.NArg() < 1 || *brokers == "" {
		fail("usage: sarama-client -brokers h:p[,h:p] produce|consume|member|admin|ride [flags]")
	}
	list := strings.Split(*brokers, ",")
	rest := flag.Args()[1:]
	switch flag.Arg(0) {
	case "produce":
		produce(list, rest)
	case "consume":
		consume(list, rest)
	case "member":
		member(list, rest)
	case "admin":
		admin(list, rest)
	case "ride":
		ride(list, rest)
	default:
		fail("unknown command %q", flag.Arg(0))
	}
}
