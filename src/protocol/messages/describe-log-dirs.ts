import { arrayOf, f, message, structs, type ApiSpec } from '../schema.js';

export const DescribeLogDirs: ApiSpec = {
  apiKey: 35,
  name: 'DescribeLogDirs',
  minVersion: 1,
  maxVersion: 4,
  request: message('DescribeLogDirsRequest', 2, [
    f('topics', structs(f('topic', 'string'), f('partitions', arrayOf('int32'))), '0+', { nullable: '0+' }),
  ]),
  response: message('DescribeLogDirsResponse', 2, [
    f('throttleTimeMs', 'int32'),
    f('errorCode', 'int16', '3+'),
    f(
      'results',
      structs(
        f('errorCode', 'int16'),
        f('logDir', 'string'),
        f(
          'topics',
          structs(
            f('name', 'string'),
            f('partitions', structs(f('partitionIndex', 'int32'), f('partitionSize', 'int64'), f('offsetLag', 'int64'), f('isFutureKey', 'bool'))),
          ),
        ),
        f('totalBytes', 'int64', '4+', { default: -1 }),
        f('usableBytes', 'int64', '4+', { default: -1 }),
      ),
    ),
  ]),
};
