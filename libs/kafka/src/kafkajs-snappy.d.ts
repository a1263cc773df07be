// kafkajs-snappy ships no types: it exports a factory of KafkaJS's codec interface.
declare module 'kafkajs-snappy' {
  const SnappyCodec: () => {
    compress(encoder: { buffer: Buffer }): Promise<Buffer>;
    decompress(buffer: Buffer): Promise<Buffer>;
  };
  export = SnappyCodec;
}
