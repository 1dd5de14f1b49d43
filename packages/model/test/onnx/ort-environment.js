// jest runs each test file in its own realm, but onnxruntime-node's native outputs are typed
// arrays of Node's realm, which onnxruntime-common rejects with an instanceof check. Sharing
// Node's typed-array constructors with the test realm lets outputs through unchanged.
const { TestEnvironment } = require('jest-environment-node');

class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of [
      'Float32Array',
      'Float64Array',
      'Int32Array',
      'BigInt64Array',
      'Uint8Array',
      'Int8Array',
    ]) {
      this.global[name] = globalThis[name];
    }
  }
}

module.exports = OrtEnvironment;
