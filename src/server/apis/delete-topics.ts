import { DeleteTopics } from '../../protocol/messages/delete-topics.js';
import { UnknownTopicIdError } from '../../errors.js';
import type { ApiHandler } from '../context.js';
import { NONE, wireError } from '../error-code.js';

interface DeleteTopicsRequest {
  topics: Array<{ name: string | null; topicId: string }>;
  topicNames: string[];
}

export const deleteTopics: ApiHandler = {
  spec: DeleteTopics,
  async handle(req: DeleteTopicsRequest, ctx) {
    const { admin, cluster } = ctx.server;
    const wanted = ctx.apiVersion >= 6 ? req.topics : req.topicNames.map((name) => ({ name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }));
    const responses = [];
    for (const w of wanted) {
      let name = w.name;
      try {
        if (name === null) {
          name = cluster.topicById(w.topicId)?.name ?? null;
          if (name === null) throw new UnknownTopicIdError(`No topic has id ${w.topicId}.`);
        }
        const topicId = cluster.topic(name)?.topicId ?? w.topicId;
        await admin.deleteTopics([name]);
        responses.push({ name, topicId, ...NONE });
      } catch (err) {
        responses.push({ name, topicId: w.topicId, ...wireError(err) });
      }
    }
    return { throttleTimeMs: 0, responses };
  },
};
